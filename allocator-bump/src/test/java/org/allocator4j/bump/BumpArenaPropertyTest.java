package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import org.allocator4j.api.Layout;

/** The bump arena's laws, for random layouts and operation sequences. */
class BumpArenaPropertyTest {

    @Provide
    Arbitrary<Layout> layouts() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 6000).edgeCases(e -> e.includeOnly(0L, 1L, 4096L)),
                Arbitraries.integers().between(0, 12))
                .as((size, shift) -> Layout.of(size, 1L << shift));
    }

    @Provide
    Arbitrary<Layout> alignedLayouts() {
        return Combinators.combine(Arbitraries.longs().between(1, 512), Arbitraries.integers().between(0, 6))
                .as((units, shift) -> Layout.of(units << shift, 1L << shift));
    }

    private record Block(MemorySegment segment, Layout layout, byte tag) {
        void check() {
            for (long i = 0; i < segment.byteSize(); i++) {
                assertEquals(tag, segment.get(ValueLayout.JAVA_BYTE, i), "block " + layout + " was overwritten");
            }
        }
    }

    private static Block fill(MemorySegment segment, Layout layout, int index) {
        byte tag = (byte) (index * 31 + 7);
        segment.fill(tag);
        return new Block(segment, layout, tag);
    }

    @Property
    void allocate_anyLayouts_exactSizeAlignedAndNoOverlap(@ForAll @Size(max = 60) List<@From("layouts") Layout> layouts,
                                                          @ForAll @LongRange(min = 16, max = 8192) long firstChunk) {
        RecordingAllocator parent = new RecordingAllocator();
        try (BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(firstChunk).build()) {
            List<Block> blocks = new ArrayList<>();
            for (Layout layout : layouts) {
                MemorySegment s = arena.allocate(layout);
                assertEquals(layout.size(), s.byteSize());
                assertTrue(layout.isAligned(s.address()), s + " not aligned for " + layout);
                if (layout.size() == 0) {
                    assertEquals(layout.alignment(), s.address(), "the zero-size rule");
                } else {
                    blocks.add(fill(s, layout, blocks.size()));
                }
            }
            blocks.sort(Comparator.comparingLong(b -> b.segment.address()));
            for (int i = 1; i < blocks.size(); i++) {
                MemorySegment lower = blocks.get(i - 1).segment;
                assertTrue(lower.address() + lower.byteSize() <= blocks.get(i).segment.address(), "overlap");
            }
            blocks.forEach(Block::check);
            assertTrue(arena.used() <= arena.capacity());
            assertEquals(parent.liveBytes(), arena.capacity());
        }
        assertTrue(parent.live.isEmpty());
    }

    @Property
    void allocate_withLimit_capacityNeverExceedsLimit(@ForAll @Size(max = 60) List<@From("layouts") Layout> layouts,
                                                      @ForAll @LongRange(min = 0, max = 40_000) long limit) {
        RecordingAllocator parent = new RecordingAllocator();
        try (BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(1024).limit(limit).build()) {
            for (Layout layout : layouts) {
                try {
                    arena.allocate(layout);
                } catch (BumpLimitExceededException e) {
                    assertEquals(limit, e.limit());
                    assertTrue(layout.size() > limit - arena.capacity(), "refused although it fit: " + layout);
                }
                assertTrue(arena.capacity() <= limit, "capacity=" + arena.capacity() + " > limit=" + limit);
                assertTrue(parent.liveBytes() <= limit);
            }
        }
    }

    @Property
    void reset_keepsExactlyTheLargestChunk(@ForAll @Size(min = 1, max = 60) List<@From("layouts") Layout> layouts) {
        RecordingAllocator parent = new RecordingAllocator();
        try (BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(256).build()) {
            layouts.forEach(arena::allocate);
            long largest = parent.live.values().stream().mapToLong(Layout::size).max().orElse(0);
            int chunksBefore = arena.chunks();

            arena.reset();

            assertEquals(Math.min(chunksBefore, 1), arena.chunks());
            assertEquals(largest, arena.capacity());
            assertEquals(largest, parent.liveBytes());
            assertEquals(0, arena.used());
            assertEquals(largest, arena.remaining());
            int parentCalls = parent.allocations;
            if (largest > 0) {
                MemorySegment again = arena.allocate(Layout.of(largest, 1));
                assertEquals(largest, again.byteSize());
                assertEquals(parentCalls, parent.allocations, "the kept chunk serves without the parent");
            }
        }
    }

    /** One step of a frame script: push, pop, or allocate a layout. */
    private sealed interface Step permits Push, Pop, Alloc { }

    private record Push() implements Step { }

    private record Pop() implements Step { }

    private record Alloc(Layout layout) implements Step { }

    @Provide
    Arbitrary<List<Step>> frameScripts() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Push())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Pop())),
                net.jqwik.api.Tuple.of(5, layouts().map(Alloc::new)));
        return step.list().ofMaxSize(80);
    }

    private record Snapshot(long used, long remaining, long capacity, int blocks) { }

    @Property
    void push_thenClose_rewindsExactlyAndKeepsOlderBlocks(@ForAll("frameScripts") List<Step> script) {
        RecordingAllocator parent = new RecordingAllocator();
        try (BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(512).build()) {
            Deque<BumpArena.Frame> frames = new ArrayDeque<>();
            Deque<Snapshot> snapshots = new ArrayDeque<>();
            List<Block> blocks = new ArrayList<>();
            for (Step step : script) {
                switch (step) {
                    case Push p -> {
                        snapshots.push(new Snapshot(arena.used(), arena.remaining(), arena.capacity(), blocks.size()));
                        frames.push(arena.push());
                    }
                    case Pop p -> {
                        if (frames.isEmpty()) {
                            continue;
                        }
                        frames.pop().close();
                        Snapshot was = snapshots.pop();
                        assertEquals(was.used, arena.used(), "used() after the frame");
                        long spareGrowth = arena.capacity() - was.capacity;
                        assertEquals(was.remaining + spareGrowth, arena.remaining(),
                                "remaining() after the frame, plus chunks taken in it, now spares");
                        blocks.subList(was.blocks, blocks.size()).clear();
                    }
                    case Alloc a -> {
                        MemorySegment s = arena.allocate(a.layout);
                        if (a.layout.size() > 0) {
                            blocks.add(fill(s, a.layout, blocks.size()));
                        }
                    }
                }
                blocks.forEach(Block::check);
            }
        }
    }

    @Property
    void deallocate_lastBlock_isReusedAtSameAddress(@ForAll @Size(max = 20) List<@From("layouts") Layout> before,
                                                    @ForAll("layouts") Layout layout) {
        try (BumpArena arena = BumpArena.builder().firstChunkSize(1024).build()) {
            before.forEach(arena::allocate);
            MemorySegment first = arena.allocate(layout);
            long used = arena.used();

            arena.deallocate(first, layout);
            MemorySegment second = arena.allocate(layout);

            assertEquals(first.address(), second.address());
            assertEquals(used, arena.used());
        }
    }

    @Property
    void deallocate_inLifoOrder_givesEveryByteBack(@ForAll @Size(max = 50) List<@From("alignedLayouts") Layout> layouts,
                                                   @ForAll @IntRange(min = 0, max = 6) int alignShift) {
        // Sizes are multiples of their alignment and alignments do not grow, so no padding is lost.
        List<Layout> sorted = new ArrayList<>(layouts);
        sorted.sort(Comparator.comparingLong(Layout::alignment).reversed());
        try (BumpArena arena = BumpArena.builder().firstChunkSize(1 << 20).build()) {
            arena.allocate(Layout.of(64, 1L << alignShift)); // a first block, not freed
            long base = arena.used();
            Deque<MemorySegment> stack = new ArrayDeque<>();
            for (Layout layout : sorted) {
                stack.push(arena.allocate(layout));
            }
            for (int i = sorted.size() - 1; i >= 0; i--) {
                arena.deallocate(stack.pop(), sorted.get(i));
            }
            assertTrue(arena.used() - base < 64, "at most the first block's alignment padding is lost");
            assertEquals(1, arena.chunks());
        }
    }

    @Property
    void reallocate_lastBlock_inPlaceKeepsContentsAndTakesNoSpace(
            @ForAll("alignedLayouts") Layout layout, @ForAll @LongRange(min = 1, max = 4096) long newUnits) {
        RecordingAllocator parent = new RecordingAllocator();
        try (BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(1 << 20).build()) {
            arena.allocate(Layout.of(8, 8));
            MemorySegment block = arena.allocate(layout);
            Block tagged = fill(block, layout, 3);
            long usedBefore = arena.used();
            long newSize = newUnits * layout.alignment() / 8 + 1; // any size, not only multiples
            int parentCalls = parent.allocations;

            MemorySegment moved = arena.reallocate(block, layout, newSize);

            assertEquals(newSize, moved.byteSize());
            assertTrue(layout.isAligned(moved.address()));
            assertEquals(parentCalls, parent.allocations, "no new chunk");
            long oldEnd = block.address() + layout.size();
            long newEnd = moved.address() + newSize;
            assertTrue(newEnd <= oldEnd && oldEnd - newEnd < layout.alignment(),
                    "the block keeps its end, up to alignment padding");
            assertEquals(usedBefore + (block.address() - moved.address()), arena.used(), "only the start moved");
            for (long i = 0; i < Math.min(newSize, layout.size()); i++) {
                assertEquals(tagged.tag, moved.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }
}
