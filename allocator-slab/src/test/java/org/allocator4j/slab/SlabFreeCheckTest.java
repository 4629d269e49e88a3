package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hardened free: each misuse throws {@link AllocatorMisuseException} of its kind, naming the block and
 * the layout, and leaves everything else as it was (neighbours intact, statistics exact, a later trim
 * returning every slab).
 */
class SlabFreeCheckTest {
    private static final Layout LAYOUT = Layout.of(64, 8);
    private static final byte TAG = 0x5A;

    private static final SlabConfig CHECKED = SlabConfig.DEFAULT.withCheckFrees(true);

    private final SlabAllocator slab = SlabAllocator.create(CHECKED);
    private final List<MemorySegment> neighbours = new ArrayList<>();

    @AfterEach
    void close() {
        slab.close();
    }

    /** Allocates {@code n} tagged blocks of {@link #LAYOUT}, kept live as the misused block's neighbours. */
    private void allocateNeighbours(int n) {
        for (int i = 0; i < n; i++) {
            MemorySegment block = slab.allocate(LAYOUT);
            block.fill(TAG);
            neighbours.add(block);
        }
    }

    /** Checks the neighbours' bytes, the statistics, then frees them and trims: every slab goes back. */
    private void assertNothingElseChanged(int otherLive) {
        for (MemorySegment block : neighbours) {
            for (long i = 0; i < block.byteSize(); i++) {
                assertEquals(TAG, block.get(ValueLayout.JAVA_BYTE, i), "neighbour " + block + " byte " + i);
            }
        }
        SlabStatistics stats = slab.statistics();
        assertEquals((neighbours.size() + otherLive) * 64L, stats.inUseBytes(), stats.toString());
        stats.classes().forEach(c -> assertTrue(c.blocksInUse() >= 0 && c.blocksCached() >= 0, stats.toString()));
        neighbours.forEach(b -> slab.deallocate(b, LAYOUT));
        neighbours.clear();
    }

    private void assertTrimReturnsEverything() {
        slab.trim();
        SlabStatistics stats = slab.statistics();
        assertEquals(0, stats.inUseBytes(), stats.toString());
        assertEquals(0, stats.retainedBytes(), stats.toString());
    }

    private static void assertNames(AllocatorMisuseException e, Kind kind, long address, Layout layout) {
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals("slab", e.allocatorName());
        assertTrue(e.getMessage().contains("0x" + Long.toHexString(address)), e.getMessage());
        assertTrue(e.getMessage().contains(layout.toString()), e.getMessage());
    }

    @Test
    void deallocate_doubleFree_throwsAndTheBlockIsNeverHandedOutTwice() {
        allocateNeighbours(10);
        MemorySegment block = slab.allocate(LAYOUT);
        slab.deallocate(block, LAYOUT);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(block, LAYOUT));
        assertNames(e, Kind.DOUBLE_FREE, block.address(), LAYOUT);

        Set<Long> seen = new HashSet<>();
        List<MemorySegment> again = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // past the cache: refills, the depot and the slabs all take part
            MemorySegment b = slab.allocate(LAYOUT);
            assertTrue(seen.add(b.address()), "handed out twice: " + b);
            again.add(b);
        }
        assertNothingElseChanged(again.size());
        again.forEach(b -> slab.deallocate(b, LAYOUT));
        assertTrimReturnsEverything();
    }

    @Test
    void deallocate_doubleFreeAfterTheBlockWentBackToItsSlab_throws() {
        MemorySegment block = slab.allocate(LAYOUT);
        allocateNeighbours(1); // keeps the slab live after the trim
        slab.deallocate(block, LAYOUT);
        slab.trim(); // the block leaves the cache for its slab's free list
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(block, LAYOUT));
        assertNames(e, Kind.DOUBLE_FREE, block.address(), LAYOUT);
        assertNothingElseChanged(0);
        assertTrimReturnsEverything();
    }

    @Test
    void deallocate_largerLayout_throwsLayoutMismatchAndTheRightFreeStillWorks() {
        allocateNeighbours(10);
        MemorySegment block = slab.allocate(LAYOUT);
        Layout larger = Layout.of(128, 8);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(block, larger));
        assertNames(e, Kind.LAYOUT_MISMATCH, block.address(), larger);
        assertTrue(e.getMessage().contains("class size=64"), e.getMessage());
        assertNothingElseChanged(1);
        slab.deallocate(block, LAYOUT);
        assertTrimReturnsEverything();
    }

    @Property(tries = 200)
    void deallocate_layoutOfAnotherClass_throwsLayoutMismatchNamingBothClasses(
            @ForAll @IntRange(min = 0, max = 39) int allocated, @ForAll @IntRange(min = 0, max = 39) int freedAs) {
        if (allocated == freedAs) {
            return;
        }
        SlabAllocator s = SlabAllocator.create(CHECKED);
        try {
            Layout right = Layout.of(SizeClass.size(allocated), 16);
            Layout wrong = Layout.of(SizeClass.size(freedAs), 16);
            MemorySegment block = s.allocate(right);
            AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, () -> s.deallocate(block, wrong));
            assertEquals(Kind.LAYOUT_MISMATCH, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("class size=" + SizeClass.size(allocated)), e.getMessage());
            s.deallocate(block, right);
            s.trim();
            assertEquals(0, s.statistics().retainedBytes());
        } finally {
            s.close();
        }
    }

    @Test
    void deallocate_interiorPointer_throwsForeignBlockNamingTheBlockStart() {
        allocateNeighbours(10);
        MemorySegment block = slab.allocate(LAYOUT);
        MemorySegment interior = block.asSlice(16);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(interior, LAYOUT));
        assertNames(e, Kind.FOREIGN_BLOCK, interior.address(), LAYOUT);
        assertTrue(e.getMessage().contains("offset=16 into the block at address=0x"
                + Long.toHexString(block.address())), e.getMessage());
        assertNothingElseChanged(1);
        slab.deallocate(block, LAYOUT);
        MemorySegment next = slab.allocate(LAYOUT);
        assertEquals(0, next.address() % 16, "never handed out misaligned: " + next);
        slab.deallocate(next, LAYOUT);
        assertTrimReturnsEverything();
    }

    @Test
    void deallocate_memoryOfAnAutoArena_throwsForeignBlockAndHandsNothingOut() {
        allocateNeighbours(10);
        MemorySegment foreign = Arena.ofAuto().allocate(64, 16);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(foreign, LAYOUT));
        assertNames(e, Kind.FOREIGN_BLOCK, foreign.address(), LAYOUT);
        for (int i = 0; i < 600; i++) {
            MemorySegment b = slab.allocate(LAYOUT);
            assertNotEquals(foreign.address(), b.address(), "the arena's memory was handed out");
            slab.deallocate(b, LAYOUT);
        }
        assertNothingElseChanged(0);
        assertTrimReturnsEverything();
    }

    @Test
    void deallocate_addressZero_throwsForeignBlockAndLosesNoCachedBlock() {
        List<MemorySegment> cached = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cached.add(slab.allocate(LAYOUT));
        }
        cached.forEach(b -> slab.deallocate(b, LAYOUT)); // a full cache of this class
        allocateNeighbours(10);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                () -> slab.deallocate(MemorySegment.ofAddress(0), LAYOUT));
        assertNames(e, Kind.FOREIGN_BLOCK, 0, LAYOUT);
        assertNothingElseChanged(0);
        assertEquals(0, slab.statistics().inUseBytes());
        assertTrimReturnsEverything();
    }

    @Test
    void deallocate_checksOffByDefault_doubleFreeIsNotChecked() {
        SlabAllocator unchecked = SlabAllocator.create(SlabConfig.DEFAULT);
        try {
            MemorySegment block = unchecked.allocate(LAYOUT);
            unchecked.deallocate(block, LAYOUT);
            unchecked.deallocate(block, LAYOUT); // undefined with the check off: accepted into the cache
            MemorySegment first = unchecked.allocate(LAYOUT);
            MemorySegment second = unchecked.allocate(LAYOUT);
            assertEquals(first.address(), second.address(), "the documented hazard of checkFrees=false");
        } finally {
            unchecked.close();
        }
    }
}
