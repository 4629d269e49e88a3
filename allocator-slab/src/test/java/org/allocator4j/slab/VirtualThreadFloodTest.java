package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of short virtual threads, each allocating and freeing a few 64-byte blocks: it completes, and
 * costs caches and heap in proportion to the carriers, not to the threads started (200,000 here, 1,000,000
 * with {@code -Pdeep}).
 */
class VirtualThreadFloodTest {
    private static final Layout LAYOUT = Layout.of(64, 8);
    /** Heap the flood may leave behind after a full GC: a few shared caches, far below one per thread. */
    private static final long HEAP_SLACK = 32L << 20;

    @Test
    void allocateFree_200kVirtualThreads_completesWithBoundedCachesAndHeap() throws Exception {
        flood(200_000);
    }

    @Test
    @Tag("deep")
    void allocateFree_1MVirtualThreads_completesWithBoundedCachesAndHeap() throws Exception {
        flood(1_000_000);
    }

    private static void flood(int threads) throws Exception {
        SlabHeap slab = (SlabHeap) SlabAllocator.create(SlabConfig.DEFAULT);
        try {
            long heapBefore = heapAfterGc();
            LongAdder done = new LongAdder();
            LongAdder corrupt = new LongAdder();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    long stamp = t;
                    executor.execute(() -> {
                        MemorySegment[] blocks = new MemorySegment[4];
                        for (int i = 0; i < blocks.length; i++) {
                            blocks[i] = slab.allocate(LAYOUT);
                            blocks[i].set(ValueLayout.JAVA_LONG, 16, stamp * 4 + i);
                        }
                        for (int i = 0; i < blocks.length; i++) {
                            if (blocks[i].get(ValueLayout.JAVA_LONG, 16) != stamp * 4 + i) {
                                corrupt.increment();
                            }
                            slab.deallocate(blocks[i], LAYOUT);
                        }
                        done.increment();
                    });
                }
            } // close() waits for every task
            assertEquals(threads, done.sum(), "every virtual thread completed");
            assertEquals(0, corrupt.sum(), "a block was handed out to two live threads");
            assertEquals(0, slab.platformCacheCount(), "virtual threads register no cache of their own");
            assertTrue(slab.sharedCacheCount() <= slab.sharedCacheBound(), "shared caches="
                    + slab.sharedCacheCount() + " bound=" + slab.sharedCacheBound());
            SlabStatistics stats = slab.statistics();
            assertEquals(0, stats.inUseBytes(), stats.toString());
            // Cached blocks: at most what the shared caches and depots hold, independent of the thread count.
            long perCache = SlabConfig.DEFAULT.cacheCapacityOf(SizeClass.of(64, 8)) * 64L;
            assertTrue(stats.cachedBytes() <= (slab.sharedCacheBound() + Depot.MAGAZINES) * perCache,
                    stats.toString());
            long heapAfter = heapAfterGc();
            assertTrue(heapAfter - heapBefore < HEAP_SLACK, "heap grew by " + (heapAfter - heapBefore)
                    + " bytes for " + threads + " threads");
            slab.trim();
            assertEquals(0, slab.statistics().retainedBytes());
        } finally {
            slab.close();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
