package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs of kinds {@link BugKind#SEGMENT_IDENTITY} and {@link BugKind#CHECKED_MODE_GAP} show
 * under the condition their javadoc gives, and the checked modes do detect what they are not blind to.
 */
class IdentityAndCheckedBugsTest {
    private static final Layout BLOCK = Layout.of(64, 8);

    @Test
    void identityKeyedRecords_freedThroughReDerivedSegment_leaks() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new IdentityKeyedRecords(parent);
        allocator.deallocate(allocator.allocate(BLOCK), BLOCK);
        assertEquals(0, parent.liveBlocks(), "the very segment: right");
        MemorySegment block = allocator.allocate(BLOCK);
        allocator.deallocate(Reinterpret.reDerived(block.address(), BLOCK.size()), BLOCK);
        assertEquals(1, parent.liveBlocks());
    }

    @Test
    void lengthKeyedRecords_freedThroughZeroLengthSegment_leaks() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new LengthKeyedRecords(parent);
        MemorySegment block = allocator.allocate(BLOCK);
        allocator.deallocate(Reinterpret.reDerived(block.address(), BLOCK.size()), BLOCK);
        assertEquals(0, parent.liveBlocks(), "same address and size: right");
        block = allocator.allocate(BLOCK);
        allocator.deallocate(MemorySegment.ofAddress(block.address()), BLOCK);
        assertEquals(1, parent.liveBlocks());
    }

    @Test
    void reallocCopiesByteSize_reallocOfZeroLengthSegment_contentsLost() {
        GlobalAllocator allocator = new ReallocCopiesByteSize();
        MemorySegment block = Bytes.fill(allocator.allocate(BLOCK), 21);
        MemorySegment moved = allocator.reallocate(MemorySegment.ofAddress(block.address()), BLOCK, 128);
        assertFalse(Bytes.holds(moved, 0, 64, 21));
        allocator.deallocate(moved, Layout.of(128, 8));
    }

    @Test
    void byteSizeFiledCache_freedThroughShorterSegments_leakAndWrongSizeReachParent() {
        CountingParent parent = new CountingParent();
        ByteSizeFiledCache allocator = new ByteSizeFiledCache(parent);
        MemorySegment lost = allocator.allocate(BLOCK);
        allocator.deallocate(MemorySegment.ofAddress(lost.address()), BLOCK);
        MemorySegment misfiled = allocator.allocate(BLOCK);
        allocator.deallocate(misfiled.asSlice(0, 16), BLOCK);
        allocator.close();
        assertEquals(1, parent.liveBlocks(), "the zero-length free leaked");
        assertEquals(1, parent.errors().size(), "the misfiled block was freed as 16 bytes: " + parent.errors());
    }

    @Test
    void scopeCheckedOwnership_freedThroughReDerivedSegment_leaks() {
        CountingParent parent = new CountingParent();
        ScopeCheckedOwnership allocator = new ScopeCheckedOwnership(parent);
        try {
            allocator.deallocate(allocator.allocate(BLOCK), BLOCK);
            assertEquals(0, parent.liveBlocks(), "the very segment: right");
            MemorySegment block = allocator.allocate(BLOCK);
            allocator.deallocate(Reinterpret.reDerived(block.address(), BLOCK.size()), BLOCK);
            assertEquals(1, parent.liveBlocks());
        } finally {
            allocator.close();
        }
    }

    @Test
    void checkedFasttopOnly_doubleFreeWithAnotherFreeBetween_missedAndHandedOutTwice() {
        CheckedFasttopOnly allocator = new CheckedFasttopOnly();
        try {
            MemorySegment a = allocator.allocate(BLOCK);
            MemorySegment b = allocator.allocate(BLOCK);
            allocator.deallocate(a, BLOCK);
            assertEquals(Kind.DOUBLE_FREE, assertThrows(AllocatorMisuseException.class,
                    () -> allocator.deallocate(a, BLOCK)).kind(), "the top of the bin: detected");
            allocator.deallocate(b, BLOCK);
            assertDoesNotThrow(() -> allocator.deallocate(a, BLOCK));
            MemorySegment first = allocator.allocate(BLOCK);
            allocator.allocate(BLOCK);
            MemorySegment third = allocator.allocate(BLOCK);
            assertEquals(first.address(), third.address(), "a went to two callers");
        } finally {
            allocator.close();
        }
    }

    @Test
    void checkedRedZoneSkippedOnRealloc_overrunThenRealloc_missed() {
        CheckedRedZoneSkippedOnRealloc allocator = new CheckedRedZoneSkippedOnRealloc();
        try {
            MemorySegment block = allocator.allocate(BLOCK);
            overrun(block);
            assertEquals(Kind.OVERRUN, assertThrows(AllocatorMisuseException.class,
                    () -> allocator.deallocate(block, BLOCK)).kind(), "deallocate: detected");
            MemorySegment other = allocator.allocate(BLOCK);
            overrun(other);
            MemorySegment moved = assertDoesNotThrow(() -> allocator.reallocate(other, BLOCK, 128));
            allocator.deallocate(moved, Layout.of(128, 8));
        } finally {
            allocator.close();
        }
    }

    @Test
    void checkedReallocUnchecked_reallocOfFreedBlock_missed() {
        GlobalAllocator allocator = new CheckedReallocUnchecked();
        MemorySegment block = allocator.allocate(BLOCK);
        allocator.deallocate(block, BLOCK);
        assertEquals(Kind.DOUBLE_FREE, assertThrows(AllocatorMisuseException.class,
                () -> allocator.deallocate(block, BLOCK)).kind(), "deallocate: detected");
        MemorySegment moved = assertDoesNotThrow(() -> allocator.reallocate(block, BLOCK, 128));
        allocator.deallocate(moved, Layout.of(128, 8));
        MemorySegment live = allocator.allocate(BLOCK);
        moved = assertDoesNotThrow(() -> allocator.reallocate(live, Layout.of(48, 8), 128), "wrong layout");
        allocator.deallocate(moved, Layout.of(128, 8));
    }

    @Test
    void checkedZeroedUntracked_misuseOfZeroedBlocks_missedOrMisnamed() {
        GlobalAllocator allocator = new CheckedZeroedUntracked();
        MemorySegment plain = allocator.allocate(BLOCK);
        assertEquals(Kind.LAYOUT_MISMATCH, assertThrows(AllocatorMisuseException.class,
                () -> allocator.deallocate(plain, Layout.of(32, 8))).kind(), "allocate's blocks: detected");
        allocator.deallocate(plain, BLOCK);
        MemorySegment zeroed = allocator.allocateZeroed(BLOCK);
        assertDoesNotThrow(() -> allocator.deallocate(zeroed, Layout.of(32, 8)));
        MemorySegment twice = allocator.allocateZeroed(BLOCK);
        allocator.deallocate(twice, BLOCK);
        assertEquals(Kind.FOREIGN_BLOCK, assertThrows(AllocatorMisuseException.class,
                () -> allocator.deallocate(twice, BLOCK)).kind());
    }

    @Test
    void checkedPoisonHeadOnly_writeAfterFreeBeyond64Bytes_missed() {
        Layout layout = Layout.of(256, 8);
        CheckedPoisonHeadOnly near = new CheckedPoisonHeadOnly();
        writeAfterFree(near, layout, 10);
        assertEquals(Kind.USE_AFTER_FREE, assertThrows(AllocatorMisuseException.class, near::close).kind(),
                "offset 10: detected");
        CheckedPoisonHeadOnly far = new CheckedPoisonHeadOnly();
        writeAfterFree(far, layout, 100);
        assertDoesNotThrow(far::close);
    }

    @Test
    void checkedSizeClassOnly_mismatchWithinSizeClass_missed() {
        GlobalAllocator allocator = new CheckedSizeClassOnly();
        Layout hundred = Layout.of(100, 8);
        MemorySegment a = allocator.allocate(hundred);
        assertEquals(Kind.LAYOUT_MISMATCH, assertThrows(AllocatorMisuseException.class,
                () -> allocator.deallocate(a, Layout.of(200, 8))).kind(), "another class: detected");
        assertDoesNotThrow(() -> allocator.deallocate(a, Layout.of(97, 8)));
        Layout aligned = Layout.of(4096, 64);
        MemorySegment b = allocator.allocate(aligned);
        assertDoesNotThrow(() -> allocator.deallocate(b, Layout.of(4096, 8)));
    }

    private static void overrun(MemorySegment block) {
        // the byte just past the block, in the allocator's red zone
        Reinterpret.reDerived(block.address() + block.byteSize(), 1).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }

    private static void writeAfterFree(CheckedPoisonHeadOnly allocator, Layout layout, long offset) {
        MemorySegment block = allocator.allocate(layout);
        allocator.deallocate(block, layout);
        // the block is in the quarantine: still the allocator's memory
        Reinterpret.reDerived(block.address(), layout.size()).set(ValueLayout.JAVA_BYTE, offset, (byte) 1);
        assertTrue(block.address() != 0);
    }
}
