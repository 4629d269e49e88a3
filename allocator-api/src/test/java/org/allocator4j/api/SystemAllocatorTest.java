package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code system} allocator against the {@link GlobalAllocator} contract: exact size,
 * alignment up to 1 MiB, sizes up to 16 MiB, the zero-size rule, zeroing, reallocation, failure, and
 * blocks freed by another thread than the one that allocated them.
 *
 * <p>Block contents are slices of {@link #PATTERN}, pseudo-random bytes: a block filled from offset
 * {@code seed} holds different bytes than one filled from another seed, and is checked whole with
 * {@link MemorySegment#mismatch}.
 */
class SystemAllocatorTest {
    private static final GlobalAllocator SYSTEM = GlobalAllocator.system();
    private static final long MAX_SIZE = 16L << 20;
    private static final int MAX_ALIGNMENT_SHIFT = 20;
    private static final int SEEDS = 4096;
    private static final MemorySegment PATTERN = pattern(MAX_SIZE + SEEDS);
    private static final MemorySegment ZEROS = Arena.ofAuto().allocate(MAX_SIZE);
    private static final long IMPOSSIBLE = Long.MAX_VALUE / 2;

    private static MemorySegment pattern(long size) {
        MemorySegment pattern = Arena.ofAuto().allocate(size, Long.BYTES);
        SplittableRandom random = new SplittableRandom(0x5EEDL);
        for (long offset = 0; offset < size; offset += Long.BYTES) {
            pattern.set(ValueLayout.JAVA_LONG, offset, random.nextLong());
        }
        return pattern;
    }

    /** Fills the whole block from {@link #PATTERN} at {@code seed}. */
    private static void fill(MemorySegment block, int seed) {
        MemorySegment.copy(PATTERN, seed, block, 0, block.byteSize());
    }

    /** Asserts that the first {@code length} bytes of {@code block} are what {@link #fill} wrote. */
    private static void assertFilled(MemorySegment block, int seed, long length) {
        long at = MemorySegment.mismatch(block, 0, length, PATTERN, seed, seed + length);
        assertEquals(-1, at, () -> "block " + block + " differs from seed=" + seed + " at offset " + at);
    }

    private static void assertZero(MemorySegment block) {
        long at = MemorySegment.mismatch(block, 0, block.byteSize(), ZEROS, 0, block.byteSize());
        assertEquals(-1, at, () -> "block " + block + " is not zero at offset " + at);
    }

    private static void assertBlock(MemorySegment block, Layout layout) {
        assertEquals(layout.size(), block.byteSize(), () -> "size of " + block + " for " + layout);
        assertTrue(layout.isAligned(block.address()), () -> block + " not aligned for " + layout);
        if (layout.size() == 0) {
            assertEquals(layout.dangling(), block, () -> "zero-size block for " + layout);
        }
    }

    private static boolean overlap(MemorySegment a, MemorySegment b) {
        return a.byteSize() > 0 && b.byteSize() > 0
                && a.address() < b.address() + b.byteSize() && b.address() < a.address() + a.byteSize();
    }

    @Provide
    Arbitrary<Long> alignments() {
        return Arbitraries.integers().between(0, MAX_ALIGNMENT_SHIFT).map(shift -> 1L << shift);
    }

    /** Mostly small sizes, some around malloc's mmap threshold (128 KiB), some up to 16 MiB. */
    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 4096)),
                Tuple.of(2, Arbitraries.longs().between(4096, 512 << 10)),
                Tuple.of(1, Arbitraries.longs().between(512 << 10, MAX_SIZE))
        ).edgeCases(e -> e.add(0L, 1L, 15L, 16L, 17L, 4095L, 4096L, (128L << 10) - 1, 128L << 10, MAX_SIZE));
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.longs().between(0, 1024).flatMap(size ->
                alignments().map(alignment -> Layout.of(size, alignment)));
    }

    // ---- allocate / deallocate

    @Property
    void allocate_anyLayout_exactSizeAlignedWritableAndKept(@ForAll("sizes") long size,
                                                            @ForAll("alignments") long alignment,
                                                            @ForAll("layouts") Layout other,
                                                            @ForAll @IntRange(max = SEEDS - 1) int seed) {
        Layout layout = Layout.of(size, alignment);
        MemorySegment block = SYSTEM.allocate(layout);
        MemorySegment second = SYSTEM.allocate(other);
        try {
            assertBlock(block, layout);
            assertBlock(second, other);
            assertTrue(!overlap(block, second), () -> block + " overlaps " + second);
            fill(block, seed);
            fill(second, SEEDS - 1 - seed);
            assertFilled(block, seed, size);
            assertFilled(second, SEEDS - 1 - seed, other.size());
        } finally {
            SYSTEM.deallocate(second, other);
            SYSTEM.deallocate(block, layout);
        }
    }

    @Property
    void allocate_manyLiveBlocks_neverOverlapAndKeepContents(@ForAll @Size(min = 1, max = 64) List<@LongRange(max = 70_000) Long> sizes,
                                                             @ForAll("alignments") long alignment) {
        List<MemorySegment> blocks = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        try {
            for (int i = 0; i < sizes.size(); i++) {
                Layout layout = Layout.of(sizes.get(i), alignment);
                MemorySegment block = SYSTEM.allocate(layout);
                layouts.add(layout);
                blocks.add(block);
                assertBlock(block, layout);
                fill(block, i);
            }
            for (int i = 0; i < blocks.size(); i++) {
                assertFilled(blocks.get(i), i, sizes.get(i));
                for (int j = i + 1; j < blocks.size(); j++) {
                    MemorySegment a = blocks.get(i);
                    MemorySegment b = blocks.get(j);
                    assertTrue(!overlap(a, b), () -> a + " overlaps " + b);
                }
            }
        } finally {
            for (int i = 0; i < blocks.size(); i++) {
                SYSTEM.deallocate(blocks.get(i), layouts.get(i));
            }
        }
    }

    // ---- the zero-size rule

    @Property
    void allocate_zeroSize_returnsDanglingAndAllocatesNothing(@ForAll("alignments") long alignment) {
        Layout layout = Layout.of(0, alignment);
        MemorySegment block = SYSTEM.allocate(layout);
        assertEquals(layout.dangling(), block);
        assertEquals(alignment, block.address());
        assertEquals(0, block.byteSize());
        assertEquals(layout.dangling(), SYSTEM.allocateZeroed(layout));
        // Deallocating the dangling block does nothing (it was never malloc'ed: free() of it would crash).
        SYSTEM.deallocate(block, layout);
        SYSTEM.deallocate(layout.dangling(), layout);
    }

    @Property
    void reallocate_zeroSizeBlock_allocates(@ForAll("alignments") long alignment,
                                            @ForAll @LongRange(min = 1, max = 1 << 20) long newSize,
                                            @ForAll @IntRange(max = SEEDS - 1) int seed) {
        Layout empty = Layout.of(0, alignment);
        MemorySegment block = SYSTEM.reallocate(empty.dangling(), empty, newSize);
        Layout layout = Layout.of(newSize, alignment);
        try {
            assertBlock(block, layout);
            fill(block, seed);
            assertFilled(block, seed, newSize);
        } finally {
            SYSTEM.deallocate(block, layout);
        }
    }

    @Property
    void reallocate_toZero_returnsDangling(@ForAll("alignments") long alignment,
                                           @ForAll @LongRange(min = 1, max = 1 << 20) long size) {
        Layout layout = Layout.of(size, alignment);
        MemorySegment block = SYSTEM.allocate(layout);
        fill(block, 0);
        MemorySegment empty = SYSTEM.reallocate(block, layout, 0);
        assertEquals(Layout.of(0, alignment).dangling(), empty);
        // The old block is freed: deallocating the result (dangling) must do nothing.
        SYSTEM.deallocate(empty, Layout.of(0, alignment));
    }

    // ---- zeroing

    /**
     * Dirty memory first (allocate, fill with 0xFF, free), so that the zeroed request likely gets those
     * very bytes back from malloc's caches; it must still read zero throughout.
     */
    @Property
    void allocateZeroed_afterDirtyFrees_allZero(@ForAll("sizes") long size, @ForAll("alignments") long alignment) {
        Layout layout = Layout.of(size, alignment);
        for (int i = 0; i < 3; i++) {
            MemorySegment dirty = SYSTEM.allocate(layout);
            dirty.fill((byte) 0xFF);
            SYSTEM.deallocate(dirty, layout);
        }
        MemorySegment block = SYSTEM.allocateZeroed(layout);
        try {
            assertBlock(block, layout);
            assertZero(block);
        } finally {
            SYSTEM.deallocate(block, layout);
        }
    }

    /**
     * glibc's {@code calloc} skips the per-thread cache that {@code free} fills first (7 chunks per size),
     * so this frees more dirty blocks than that; calloc then reuses some of them and must zero them.
     */
    @Example
    void allocateZeroed_manyDirtyBlocksJustFreed_reusedMemoryIsZero() {
        for (long size : new long[] {24, 200, 1000, 5000, 200_000}) {
            Layout layout = Layout.of(size, 8);
            java.util.Set<Long> freed = new java.util.HashSet<>();
            List<MemorySegment> dirty = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                MemorySegment block = SYSTEM.allocate(layout);
                block.fill((byte) 0xA5);
                dirty.add(block);
            }
            for (MemorySegment block : dirty) {
                freed.add(block.address());
                SYSTEM.deallocate(block, layout);
            }
            List<MemorySegment> zeroed = new ArrayList<>();
            int reused = 0;
            for (int i = 0; i < 32; i++) {
                MemorySegment block = SYSTEM.allocateZeroed(layout);
                zeroed.add(block);
                reused += freed.contains(block.address()) ? 1 : 0;
                assertZero(block);
            }
            zeroed.forEach(block -> SYSTEM.deallocate(block, layout));
            // Not a law of the allocator: a check that this test exercised zeroing of reused memory.
            if (size < 100_000) {
                int reusedBlocks = reused;
                assertTrue(reused > 0, () -> "size=" + size + ": no freed block reused (" + reusedBlocks + ")");
            }
        }
    }

    // ---- reallocate

    /** Growth and shrinkage, with alignments on both sides of malloc's 16: realloc and the copying default. */
    @Property
    void reallocate_growOrShrink_keepsContentsAndAlignment(@ForAll("sizes") long size,
                                                          @ForAll("sizes") long newSize,
                                                          @ForAll @IntRange(max = 16) int alignmentShift,
                                                          @ForAll @IntRange(max = SEEDS - 1) int seed) {
        long alignment = 1L << alignmentShift;
        Layout layout = Layout.of(size, alignment);
        MemorySegment block = SYSTEM.allocate(layout);
        fill(block, seed);
        MemorySegment moved = SYSTEM.reallocate(block, layout, newSize);
        Layout newLayout = Layout.of(newSize, alignment);
        try {
            assertBlock(moved, newLayout);
            assertFilled(moved, seed, Math.min(size, newSize));
            moved.fill((byte) 1); // writable over its whole new length
        } finally {
            SYSTEM.deallocate(moved, newLayout);
        }
    }

    @Property
    void reallocate_chainOfSizes_keepsTheCommonPrefix(@ForAll @Size(min = 1, max = 10) List<@LongRange(max = 300_000) Long> sizes,
                                                      @ForAll @IntRange(max = 12) int alignmentShift) {
        long alignment = 1L << alignmentShift;
        Layout layout = Layout.of(0, alignment);
        MemorySegment block = SYSTEM.allocate(layout);
        long kept = 0; // bytes known to hold the pattern at seed 7
        for (long size : sizes) {
            block = SYSTEM.reallocate(block, layout, size);
            layout = Layout.of(size, alignment);
            assertBlock(block, layout);
            kept = Math.min(kept, size);
            assertFilled(block, 7, kept);
            MemorySegment.copy(PATTERN, 7 + kept, block, kept, size - kept);
            kept = size;
        }
        SYSTEM.deallocate(block, layout);
    }

    // ---- failure

    @Example
    void allocate_impossibleSize_throwsNamingLayoutAndSystemThenStillWorks() {
        for (long alignment : new long[] {1, 8, 16, 32, 4096, 1 << 20}) {
            Layout layout = Layout.of(IMPOSSIBLE, alignment);
            AllocationException e = assertThrows(AllocationException.class, () -> SYSTEM.allocate(layout));
            assertEquals(layout, e.layout());
            assertEquals(GlobalAllocator.SYSTEM, e.allocatorName());
            assertTrue(e.getMessage().contains(layout.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("'" + GlobalAllocator.SYSTEM + "'"), e.getMessage());

            AllocationException zeroed = assertThrows(AllocationException.class, () -> SYSTEM.allocateZeroed(layout));
            assertEquals(layout, zeroed.layout());

            Layout small = Layout.of(64, alignment);
            MemorySegment block = SYSTEM.allocate(small);
            assertBlock(block, small);
            fill(block, 3);
            assertFilled(block, 3, 64);
            SYSTEM.deallocate(block, small);
        }
    }

    @Example
    void reallocate_impossibleSize_throwsAndLeavesTheOldBlockLive() {
        for (long alignment : new long[] {8, 16, 64, 4096}) {
            Layout layout = Layout.of(1000, alignment);
            MemorySegment block = SYSTEM.allocate(layout);
            fill(block, 11);
            AllocationException e = assertThrows(AllocationException.class,
                    () -> SYSTEM.reallocate(block, layout, IMPOSSIBLE));
            assertEquals(Layout.of(IMPOSSIBLE, alignment), e.layout());
            assertEquals(GlobalAllocator.SYSTEM, e.allocatorName());
            // Still owned by the caller, contents untouched.
            assertFilled(block, 11, 1000);
            MemorySegment grown = SYSTEM.reallocate(block, layout, 5000);
            assertFilled(grown, 11, 1000);
            SYSTEM.deallocate(grown, Layout.of(5000, alignment));
        }
    }

    @Example
    void reallocate_invalidNewSize_throwsIllegalArgumentAndLeavesTheOldBlockLive() {
        for (long alignment : new long[] {8, 4096}) {
            Layout layout = Layout.of(100, alignment);
            MemorySegment block = SYSTEM.allocate(layout);
            fill(block, 5);
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                    () -> SYSTEM.reallocate(block, layout, -1));
            assertTrue(negative.getMessage().contains("size=-1"), negative.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SYSTEM.reallocate(block, layout, Long.MAX_VALUE));
            assertFilled(block, 5, 100);
            SYSTEM.deallocate(block, layout);
        }
    }

    @Test
    void system_nameAndIdentity_stable() {
        assertEquals("system", SYSTEM.name());
        assertSame(SYSTEM, GlobalAllocator.system());
        assertSame(SYSTEM, GlobalAllocator.named("system"));
        assertEquals(List.of("system"), GlobalAllocator.available());
        assertNotEquals(null, SYSTEM.toString());
    }

    // ---- threads

    private record Handed(MemorySegment block, Layout layout, int seed, boolean zeroed, long owner) {
    }

    /**
     * Four threads allocate blocks and hand each to the next thread through a queue; the receiver checks
     * the block's pattern (and its zeros for zeroed blocks), sometimes reallocates it, and frees it. Every
     * block is freed by another thread than the one that allocated it.
     */
    @Test
    void deallocate_blocksHandedToOtherThreads_contentsIntactAndAllFreed() throws Exception {
        int threads = 4;
        int perThread = "deep".equals(System.getProperty("allocator4j.testkit.level")) ? 200_000 : 5_000;
        List<BlockingQueue<Handed>> inboxes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inboxes.add(new LinkedBlockingQueue<>());
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> freed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                freed.add(pool.submit(() -> {
                    BlockingQueue<Handed> inbox = inboxes.get(id);
                    BlockingQueue<Handed> next = inboxes.get((id + 1) % threads);
                    SplittableRandom random = new SplittableRandom(id);
                    long self = Thread.currentThread().threadId();
                    int received = 0;
                    start.await();
                    for (int k = 0; k < perThread; k++) {
                        Layout layout = Layout.of(random.nextInt(8) == 0 ? random.nextLong(300_000) : random.nextLong(1024),
                                1L << random.nextInt(14));
                        boolean zeroed = random.nextInt(4) == 0;
                        MemorySegment block = zeroed ? SYSTEM.allocateZeroed(layout) : SYSTEM.allocate(layout);
                        int seed = random.nextInt(SEEDS);
                        if (!zeroed) {
                            fill(block, seed);
                        }
                        next.put(new Handed(block, layout, seed, zeroed, self));
                        for (Handed h; (h = inbox.poll()) != null; received++) {
                            checkAndFree(h, self, random);
                        }
                    }
                    while (received < perThread) {
                        Handed h = inbox.poll(60, TimeUnit.SECONDS); // bounds a lost block; not a timing check
                        if (h == null) {
                            throw new AssertionError("thread " + id + " received " + received + " of " + perThread);
                        }
                        checkAndFree(h, self, random);
                        received++;
                    }
                    return received;
                }));
            }
            for (Future<Integer> f : freed) {
                assertEquals(perThread, f.get());
            }
            inboxes.forEach(inbox -> assertTrue(inbox.isEmpty(), "blocks left over: " + inbox.size()));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void checkAndFree(Handed h, long self, SplittableRandom random) {
        if (h.owner() == self) {
            throw new AssertionError("block came back to its own thread: " + h);
        }
        if (h.block().byteSize() != h.layout().size() || !h.layout().isAligned(h.block().address())) {
            throw new AssertionError("bad block " + h);
        }
        long at = h.zeroed()
                ? MemorySegment.mismatch(h.block(), 0, h.layout().size(), ZEROS, 0, h.layout().size())
                : MemorySegment.mismatch(h.block(), 0, h.layout().size(), PATTERN, h.seed(), h.seed() + h.layout().size());
        if (at != -1) {
            throw new AssertionError("block " + h + " corrupted at offset " + at);
        }
        if (random.nextInt(5) == 0 && !h.zeroed()) {
            long newSize = random.nextLong(2048);
            MemorySegment moved = SYSTEM.reallocate(h.block(), h.layout(), newSize);
            long kept = Math.min(newSize, h.layout().size());
            if (MemorySegment.mismatch(moved, 0, kept, PATTERN, h.seed(), h.seed() + kept) != -1) {
                throw new AssertionError("reallocate by another thread lost contents of " + h);
            }
            SYSTEM.deallocate(moved, Layout.of(newSize, h.layout().alignment()));
        } else {
            SYSTEM.deallocate(h.block(), h.layout());
        }
    }
}
