package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The scoped {@link Arena} of {@link GlobalAllocator#openArena()}, observed through {@link Counting}, a
 * decorator over {@code system} that records every allocate and deallocate (the seam: the arena's only
 * way to memory is its allocator).
 */
class ScopedArenaTest {
    private static final long IMPOSSIBLE = Long.MAX_VALUE / 2;

    /** One call seen by {@link Counting}: the block's address and the layout it was passed with. */
    record Call(long address, Layout layout, boolean scopeAlive) {
        Call withoutScope() {
            return new Call(address, layout, false);
        }
    }

    /**
     * A {@link GlobalAllocator} over {@code system} that records each call. {@link #scopeAlive} tells, at each
     * deallocation, whether the arena under test was still open.
     */
    static final class Counting implements GlobalAllocator {
        final List<Call> allocated = new ArrayList<>();
        final List<Call> deallocated = new ArrayList<>();
        BooleanSupplier scopeAlive = () -> false;
        Consumer<MemorySegment> onDeallocate = block -> { };

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            MemorySegment block = GlobalAllocator.system().allocate(layout);
            allocated.add(new Call(block.address(), layout, false));
            return block;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            deallocated.add(new Call(block.address(), layout, scopeAlive.getAsBoolean()));
            onDeallocate.accept(block);
            GlobalAllocator.system().deallocate(block, layout);
        }

        @Override
        public String name() {
            return "counting";
        }

        /** Asserts that every allocation was deallocated exactly once, with its address and layout. */
        synchronized void assertBalanced() {
            Map<Call, Integer> live = new HashMap<>();
            allocated.forEach(c -> live.merge(c, 1, Integer::sum));
            for (Call freed : deallocated) {
                Call key = freed.withoutScope();
                Integer count = live.get(key);
                assertTrue(count != null && count > 0, () -> "freed but not allocated (or freed twice): " + freed
                        + "\nallocated: " + allocated + "\ndeallocated: " + deallocated);
                live.put(key, count - 1);
            }
            live.forEach((call, count) -> assertEquals(0, count, () -> "leaked: " + call));
        }
    }

    private static Arena openOver(Counting counting) {
        Arena arena = counting.openArena();
        counting.scopeAlive = () -> arena.scope().isAlive();
        return arena;
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.integers().between(0, 12).flatMap(shift -> Arbitraries.longs().between(0, 70_000)
                .edgeCases(e -> e.add(0L, 1L))
                .map(size -> Layout.of(size, 1L << shift)));
    }

    // ---- everything freed, once, after close

    @Property
    void close_afterAllocations_freesEachBlockOnceAndOnlyAfterClose(@ForAll @Size(max = 40) List<@From("layouts") Layout> layouts) {
        Counting counting = new Counting();
        List<MemorySegment> segments = new ArrayList<>();
        try (Arena arena = openOver(counting)) {
            for (Layout layout : layouts) {
                MemorySegment segment = arena.allocate(layout.size(), layout.alignment());
                assertEquals(layout.size(), segment.byteSize());
                assertTrue(layout.isAligned(segment.address()), () -> segment + " for " + layout);
                assertEquals(arena.scope(), segment.scope());
                segment.fill((byte) segments.size());
                segments.add(segment);
            }
            assertEquals(layouts, counting.allocated.stream().map(Call::layout).toList(),
                    "the arena passes each request to its allocator with its exact layout");
            for (int i = 0; i < segments.size(); i++) {
                MemorySegment segment = segments.get(i);
                if (segment.byteSize() > 0) {
                    assertEquals((byte) i, segment.get(ValueLayout.JAVA_BYTE, segment.byteSize() - 1));
                }
            }
            assertEquals(List.of(), counting.deallocated, "nothing is freed before close");
        }
        assertEquals(layouts.size(), counting.deallocated.size());
        counting.deallocated.forEach(c -> assertFalse(c.scopeAlive(), () -> "freed while the arena was open: " + c));
        counting.assertBalanced();
    }

    @Test
    void segment_afterClose_everyAccessThrowsIllegalStateException() {
        Counting counting = new Counting();
        Arena arena = openOver(counting);
        MemorySegment segment = arena.allocate(64, 16);
        MemorySegment other = arena.allocate(ValueLayout.JAVA_LONG);
        segment.set(ValueLayout.JAVA_LONG, 0, 42);
        arena.close();

        assertFalse(segment.scope().isAlive());
        assertFalse(arena.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalStateException.class, () -> segment.set(ValueLayout.JAVA_BYTE, 63, (byte) 1));
        assertThrows(IllegalStateException.class, () -> segment.fill((byte) 0));
        assertThrows(IllegalStateException.class, () -> MemorySegment.copy(segment, 0, other, 0, 8));
        assertThrows(IllegalStateException.class, () -> segment.asSlice(8).get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> segment.toArray(ValueLayout.JAVA_BYTE));
        counting.assertBalanced();
    }

    @Test
    void close_twice_throwsAndFreesNothingTwice() {
        Counting counting = new Counting();
        Arena arena = openOver(counting);
        arena.allocate(100);
        arena.close();
        assertThrows(IllegalStateException.class, arena::close);
        assertEquals(1, counting.deallocated.size());
        counting.assertBalanced();
    }

    @Test
    void allocate_afterClose_throwsAndLeaksNothing() {
        Counting counting = new Counting();
        Arena arena = openOver(counting);
        arena.close();
        assertThrows(IllegalStateException.class, () -> arena.allocate(128, 8));
        assertThrows(IllegalStateException.class, () -> arena.allocate(ValueLayout.JAVA_INT));
        counting.assertBalanced();
    }

    // ---- confinement

    @Test
    void segment_fromAnotherThread_throwsWrongThreadException() throws Exception {
        Counting counting = new Counting();
        try (Arena arena = openOver(counting)) {
            MemorySegment segment = arena.allocate(32, 8);
            segment.set(ValueLayout.JAVA_INT, 0, 7);
            Throwable read = inAnotherThread(() -> segment.get(ValueLayout.JAVA_INT, 0));
            assertInstanceOf(WrongThreadException.class, read);
            Throwable write = inAnotherThread(() -> segment.set(ValueLayout.JAVA_INT, 0, 8));
            assertInstanceOf(WrongThreadException.class, write);
            assertEquals(7, segment.get(ValueLayout.JAVA_INT, 0), "the owner still reads what it wrote");
        }
        counting.assertBalanced();
    }

    @Test
    void allocateOrClose_fromAnotherThread_throwsWrongThreadExceptionAndLeaksNothing() throws Exception {
        Counting counting = new Counting();
        try (Arena arena = openOver(counting)) {
            assertInstanceOf(WrongThreadException.class, inAnotherThread(() -> arena.allocate(64, 8)));
            assertInstanceOf(WrongThreadException.class, inAnotherThread(arena::close));
            assertTrue(arena.scope().isAlive(), "a refused close leaves the arena open");
            MemorySegment segment = arena.allocate(16);
            segment.fill((byte) 1);
        }
        counting.assertBalanced();
        assertEquals(2, counting.allocated.size());
    }

    /** {@return what {@code action} threw in a new thread, or null} */
    private static Throwable inAnotherThread(Runnable action) throws InterruptedException {
        CompletableFuture<Void> done = CompletableFuture.runAsync(action, r -> Thread.ofPlatform().start(r));
        try {
            done.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    // ---- failures and bad arguments

    @Test
    void allocate_allocatorFails_propagatesAndArenaStaysUsable() {
        Counting counting = new Counting();
        try (Arena arena = openOver(counting)) {
            AllocationException e = assertThrows(AllocationException.class, () -> arena.allocate(IMPOSSIBLE, 8));
            assertEquals(Layout.of(IMPOSSIBLE, 8), e.layout());
            MemorySegment segment = arena.allocate(24, 8);
            segment.fill((byte) 3);
        }
        assertEquals(1, counting.deallocated.size());
        counting.assertBalanced();
    }

    @Test
    void allocate_invalidSizeOrAlignment_throwsIllegalArgumentNamingItAndAllocatesNothing() {
        Counting counting = new Counting();
        try (Arena arena = openOver(counting)) {
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1, 8));
            assertTrue(size.getMessage().contains("size=-1"), size.getMessage());
            IllegalArgumentException align = assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 3));
            assertTrue(align.getMessage().contains("alignment=3"), align.getMessage());
        }
        assertEquals(List.of(), counting.allocated);
    }

    @Test
    void close_deallocateThrowsForOneBlock_stillFreesTheOthers() {
        Counting counting = new Counting();
        Arena arena = openOver(counting);
        MemorySegment poisoned = arena.allocate(48, 8);
        for (int i = 0; i < 5; i++) {
            arena.allocate(32 + i, 8);
        }
        RuntimeException failure = new IllegalStateException("deallocate fails on purpose");
        counting.onDeallocate = block -> {
            if (block.address() == poisoned.address()) {
                throw failure;
            }
        };
        RuntimeException thrown = assertThrows(RuntimeException.class, arena::close);
        assertSame(failure, thrown);
        assertFalse(arena.scope().isAlive());
        // The failing deallocation was recorded before it threw; every other block was freed too.
        assertEquals(6, counting.deallocated.size());
    }

    // ---- exact size and alignment through the FFM adapters

    @Property
    void allocate_anyLayout_exactSizeAndAlignment(@ForAll("layouts") Layout layout) {
        try (Arena arena = GlobalAllocator.system().openArena()) {
            MemorySegment segment = arena.allocate(layout.size(), layout.alignment());
            assertEquals(layout.size(), segment.byteSize());
            assertTrue(layout.isAligned(segment.address()), () -> segment + " for " + layout);
            segment.fill((byte) 0x7E);
        }
    }

    @Example
    void allocateFrom_arena_copiesValuesAsTheJdkArenaDoes() {
        try (Arena arena = GlobalAllocator.system().openArena()) {
            MemorySegment ints = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);
            assertEquals(12, ints.byteSize());
            assertTrue(ints.address() % 4 == 0);
            assertEquals(List.of(1, 2, 3), ints.elements(ValueLayout.JAVA_INT).map(s -> s.get(ValueLayout.JAVA_INT, 0)).toList());
            MemorySegment text = arena.allocateFrom("allocator4j");
            assertEquals("allocator4j", text.getString(0));
        }
    }

    @Property
    void asSegmentAllocator_anyLayout_exactSizeAndAlignmentFromTheAllocator(@ForAll("layouts") Layout layout) {
        Counting counting = new Counting();
        SegmentAllocator allocator = counting.asSegmentAllocator();
        MemorySegment segment = allocator.allocate(layout.size(), layout.alignment());
        assertEquals(layout.size(), segment.byteSize());
        assertTrue(layout.isAligned(segment.address()), () -> segment + " for " + layout);
        assertTrue(segment.scope().isAlive(), "the adapter's segments have the global scope");
        segment.fill((byte) 1);
        assertEquals(List.of(new Call(segment.address(), layout, false)), counting.allocated);
        assertEquals(List.of(), counting.deallocated, "the adapter frees nothing by itself");
        counting.deallocate(segment, layout);
        counting.assertBalanced();
    }

    @Example
    void asSegmentAllocator_invalidAlignment_throwsIllegalArgument() {
        Counting counting = new Counting();
        assertThrows(IllegalArgumentException.class, () -> counting.asSegmentAllocator().allocate(16, 6));
        assertEquals(List.of(), counting.allocated);
    }
}
