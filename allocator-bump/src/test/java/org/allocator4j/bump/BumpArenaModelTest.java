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
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.allocator4j.api.Layout;

/**
 * Random sequences of every arena operation (allocate, free the last or any block, reallocate the last or
 * any block, push, pop, reset) against a model of the live blocks: after each step every live block
 * still holds its bytes and no two overlap, and close returns every chunk.
 */
class BumpArenaModelTest {

    private sealed interface Op permits Alloc, Free, Realloc, Push, Pop, Reset { }

    private record Alloc(Layout layout) implements Op { }

    /** Frees the block at {@code index % live} (counted from the most recent), or nothing if none. */
    private record Free(int index) implements Op { }

    private record Realloc(int index, long newSize) implements Op { }

    private record Push() implements Op { }

    private record Pop() implements Op { }

    private record Reset() implements Op { }

    @Provide
    Arbitrary<List<Op>> scripts() {
        Arbitrary<Layout> layouts = Combinators.combine(Arbitraries.longs().between(0, 3000),
                Arbitraries.integers().between(0, 8)).as((size, shift) -> Layout.of(size, 1L << shift));
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, layouts.map(Alloc::new)),
                net.jqwik.api.Tuple.of(3, index.map(Free::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(index, Arbitraries.longs().between(0, 5000))
                        .as(Realloc::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Push())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Pop())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reset())));
        return op.list().ofMaxSize(120);
    }

    private static final class Block {
        MemorySegment segment;
        Layout layout;
        byte tag;
        int level; // frame depth when (re)allocated: the frame that frees it

        Block(MemorySegment segment, Layout layout, byte tag, int level) {
            this.segment = segment;
            this.layout = layout;
            this.tag = tag;
            this.level = level;
            segment.fill(tag);
        }
    }

    @Property
    void anyOperationSequence_keepsLiveBlocksIntactAndDisjoint(@ForAll("scripts") List<Op> script) {
        RecordingAllocator parent = new RecordingAllocator();
        BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(512).maxChunkSize(4096).build();
        List<Block> live = new ArrayList<>(); // in allocation order, most recent last
        Deque<BumpArena.Frame> frames = new ArrayDeque<>();
        byte nextTag = 1;
        for (Op op : script) {
            switch (op) {
                case Alloc a -> {
                    MemorySegment s = arena.allocate(a.layout);
                    assertEquals(a.layout.size(), s.byteSize());
                    assertTrue(a.layout.isAligned(s.address()));
                    if (a.layout.size() > 0) {
                        live.add(new Block(s, a.layout, nextTag++, frames.size()));
                    }
                }
                case Free f -> {
                    if (!live.isEmpty()) {
                        Block b = live.remove(live.size() - 1 - f.index % live.size());
                        arena.deallocate(b.segment, b.layout);
                    }
                }
                case Realloc r -> {
                    if (!live.isEmpty()) {
                        int at = live.size() - 1 - r.index % live.size();
                        Block b = live.remove(at);
                        MemorySegment moved = arena.reallocate(b.segment, b.layout, r.newSize);
                        assertEquals(r.newSize, moved.byteSize());
                        assertTrue(b.layout.isAligned(moved.address()));
                        for (long i = 0; i < Math.min(r.newSize, b.layout.size()); i++) {
                            assertEquals(b.tag, moved.get(ValueLayout.JAVA_BYTE, i),
                                    "contents kept up to the smaller size");
                        }
                        if (r.newSize > 0) {
                            Layout newLayout = Layout.of(r.newSize, b.layout.alignment());
                            live.add(new Block(moved, newLayout, nextTag++, frames.size()));
                        }
                    }
                }
                case Push p -> frames.push(arena.push());
                case Pop p -> {
                    if (!frames.isEmpty()) {
                        int level = frames.size();
                        frames.pop().close();
                        live.removeIf(b -> b.level >= level);
                    }
                }
                case Reset r -> {
                    arena.reset();
                    frames.clear();
                    live.clear();
                }
            }
            check(live);
            assertEquals(parent.liveBytes(), arena.capacity());
            assertTrue(arena.used() <= arena.capacity());
        }
        arena.close();
        assertTrue(parent.live.isEmpty(), "close returns every chunk");
    }

    private static void check(List<Block> live) {
        for (Block b : live) {
            for (long i = 0; i < b.segment.byteSize(); i++) {
                assertEquals(b.tag, b.segment.get(ValueLayout.JAVA_BYTE, i), "a live block was overwritten");
            }
        }
        List<Block> sorted = new ArrayList<>(live);
        sorted.sort(Comparator.comparingLong(b -> b.segment.address()));
        for (int i = 1; i < sorted.size(); i++) {
            MemorySegment lower = sorted.get(i - 1).segment;
            assertTrue(lower.address() + lower.byteSize() <= sorted.get(i).segment.address(), "live blocks overlap");
        }
    }
}
