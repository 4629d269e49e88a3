package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of short virtual threads, each allocating, writing, reading and freeing 64-byte blocks on
 * {@code system}: the baseline every strategy's flood is held to. It completes, no block is shared, and
 * the heap keeps nothing per thread once they are done. 200,000 threads in the default run; a million
 * under {@code -Pdeep}.
 */
class SystemVirtualThreadFloodTest {
    private static final Layout BLOCK = Layout.of(64, 8);
    private static final int BLOCKS_PER_THREAD = 4;
    /** Generous: what a million dead threads would leave at a few hundred bytes each is far above it. */
    private static final long HEAP_GROWTH_LIMIT = 64L << 20;

    @Test
    void flood_200kVirtualThreads_completesAndKeepsNothingPerThread() throws Exception {
        flood(200_000);
    }

    @Test
    @Tag("deep")
    void flood_1mVirtualThreads_completesAndKeepsNothingPerThread() throws Exception {
        flood(1_000_000);
    }

    private static void flood(int threads) throws Exception {
        GlobalAllocator system = GlobalAllocator.system();
        long heapBefore = heapUsedAfterGc();
        LongAdder intact = new LongAdder();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                long stamp = t;
                virtual.submit(() -> {
                    MemorySegment[] blocks = new MemorySegment[BLOCKS_PER_THREAD];
                    for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                        blocks[i] = system.allocate(BLOCK);
                        blocks[i].set(ValueLayout.JAVA_LONG, 0, stamp * BLOCKS_PER_THREAD + i);
                    }
                    for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                        if (blocks[i].get(ValueLayout.JAVA_LONG, 0) == stamp * BLOCKS_PER_THREAD + i) {
                            intact.increment();
                        }
                        system.deallocate(blocks[i], BLOCK);
                    }
                    return null;
                });
            }
        } // close() waits for every thread
        assertEquals((long) threads * BLOCKS_PER_THREAD, intact.sum(), "a block was handed to two threads");
        long growth = heapUsedAfterGc() - heapBefore;
        assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes over " + threads + " threads");
    }

    /** The module reads java.base only (no java.management): the runtime's view of the heap will do. */
    private static long heapUsedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
