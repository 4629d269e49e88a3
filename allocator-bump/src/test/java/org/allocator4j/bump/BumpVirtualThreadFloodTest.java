package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Floods of short virtual threads, each allocating and freeing a few 64-byte blocks: the global bump
 * allocator in every chunking mode and {@link BumpArena#openScoped()} complete, and what they hold grows
 * with the bytes used and the processors, not with the threads started. 200,000 threads in the default
 * run; a million under {@code -Pdeep}.
 */
class BumpVirtualThreadFloodTest {
    private static final int DEFAULT_THREADS = 200_000;
    private static final int DEEP_THREADS = 1_000_000;
    private static final Layout BLOCK = Layout.of(64, 8);
    private static final int BLOCKS_PER_THREAD = 4;

    @ParameterizedTest
    @EnumSource(GlobalBumpAllocator.Chunking.class)
    void global_200kVirtualThreads_completesWithinTheDefaultCapacityHoldingAboutWhatIsUsed(
            GlobalBumpAllocator.Chunking chunking) throws Exception {
        floodGlobal(chunking, DEFAULT_THREADS);
    }

    @ParameterizedTest
    @EnumSource(GlobalBumpAllocator.Chunking.class)
    @Tag("deep")
    void global_1mVirtualThreads_completesWithinTheDefaultCapacityHoldingAboutWhatIsUsed(
            GlobalBumpAllocator.Chunking chunking) throws Exception {
        floodGlobal(chunking, DEEP_THREADS);
    }

    @Test
    void openScoped_200kVirtualThreads_createsArenasByConcurrencyNotByThreads() throws Exception {
        floodScoped(DEFAULT_THREADS);
    }

    @Test
    @Tag("deep")
    void openScoped_1mVirtualThreads_createsArenasByConcurrencyNotByThreads() throws Exception {
        floodScoped(DEEP_THREADS);
    }

    private static void floodGlobal(GlobalBumpAllocator.Chunking chunking, int threads) throws Exception {
        long capacity = 1L << 30; // the provider's default
        GlobalBumpAllocator bump = new GlobalBumpAllocator(capacity, chunking);
        LongAdder checked = new LongAdder();
        try {
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    long stamp = t;
                    virtual.submit(() -> {
                        MemorySegment[] blocks = new MemorySegment[BLOCKS_PER_THREAD];
                        for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                            blocks[i] = bump.allocate(BLOCK);
                            blocks[i].set(ValueLayout.JAVA_LONG, 0, stamp);
                        }
                        for (MemorySegment block : blocks) {
                            if (block.get(ValueLayout.JAVA_LONG, 0) == stamp) {
                                checked.increment();
                            }
                            bump.deallocate(block, BLOCK);
                        }
                        return null;
                    });
                }
            }
            long used = (long) threads * BLOCKS_PER_THREAD * BLOCK.size();
            assertEquals((long) threads * BLOCKS_PER_THREAD, checked.sum(), "blocks overlapped");
            // Partly used chunks: at most one per stripe (and per platform thread, none here) is given up
            // at a time, each at most a megabyte: a bound by processors, not by the threads started.
            long slack = 2L * bump.stripes() * GlobalBumpAllocator.CHUNK_SIZE;
            assertTrue(bump.held() <= used + slack, "held=" + bump.held() + " used=" + used + " slack=" + slack);
        } finally {
            bump.release();
        }
    }

    private static void floodScoped(int threads) throws Exception {
        ScopedArenaPool pool = ScopedArenaPool.VIRTUAL_THREADS;
        long createdBefore = pool.created();
        LongAdder checked = new LongAdder();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                long stamp = t;
                virtual.submit(() -> {
                    try (Arena arena = BumpArena.openScoped()) {
                        for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                            MemorySegment block = arena.allocate(BLOCK.size(), BLOCK.alignment());
                            block.set(ValueLayout.JAVA_LONG, 0, stamp + i);
                            if (block.get(ValueLayout.JAVA_LONG, 0) == stamp + i) {
                                checked.increment();
                            }
                        }
                    }
                    return null;
                });
            }
        }
        assertEquals((long) threads * BLOCKS_PER_THREAD, checked.sum());
        long created = pool.created() - createdBefore;
        // No scope blocks, so no more are open at once than there are carriers (the scheduler's
        // parallelism, the processors by default, plus any it adds to compensate).
        long bound = pool.slots() + 4L * Runtime.getRuntime().availableProcessors() + 16;
        assertTrue(created <= bound, "arenas created=" + created + " for " + threads + " threads; bound=" + bound);
        assertTrue(pool.idle() <= pool.slots(), "idle=" + pool.idle());
    }
}
