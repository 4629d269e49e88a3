package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.Layout;
import org.allocator4j.tracking.Snapshot;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of short virtual threads through the tracking decorator over a slab allocator, each allocating
 * and freeing a few 64-byte blocks: it completes, the counts add up, and the slab's caches stay bounded by
 * the carriers (200,000 threads here, 1,000,000 with {@code -Pdeep}). In this module because it needs both
 * strategies (they do not depend on each other).
 */
class TrackingOverSlabFloodTest {
    private static final Layout LAYOUT = Layout.of(64, 8);
    private static final int BLOCKS = 4;
    /** Heap the flood may leave behind after a full GC: bounded caches, far below anything per thread. */
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
        TrackingAllocator tracking = Tracking.wrap(slab);
        try {
            long heapBefore = heapAfterGc();
            LongAdder done = new LongAdder();
            LongAdder corrupt = new LongAdder();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    long stamp = t;
                    executor.execute(() -> {
                        MemorySegment[] blocks = new MemorySegment[BLOCKS];
                        for (int i = 0; i < BLOCKS; i++) {
                            blocks[i] = tracking.allocate(LAYOUT);
                            blocks[i].set(ValueLayout.JAVA_LONG, 16, stamp * BLOCKS + i);
                        }
                        for (int i = 0; i < BLOCKS; i++) {
                            if (blocks[i].get(ValueLayout.JAVA_LONG, 16) != stamp * BLOCKS + i) {
                                corrupt.increment();
                            }
                            tracking.deallocate(blocks[i], LAYOUT);
                        }
                        done.increment();
                    });
                }
            }
            assertEquals(threads, done.sum(), "every virtual thread completed");
            assertEquals(0, corrupt.sum(), "a block was handed out to two live threads");
            Snapshot snapshot = tracking.snapshot();
            assertEquals((long) threads * BLOCKS, snapshot.allocations(), snapshot.toString());
            assertEquals((long) threads * BLOCKS, snapshot.deallocations(), snapshot.toString());
            assertEquals(0, snapshot.liveBytes(), snapshot.toString());
            assertEquals(0, slab.platformCacheCount(), "virtual threads register no slab cache of their own");
            assertTrue(slab.sharedCacheCount() <= slab.sharedCacheBound(), "shared caches="
                    + slab.sharedCacheCount() + " bound=" + slab.sharedCacheBound());
            assertEquals(0, slab.statistics().inUseBytes(), slab.statistics().toString());
            long heapAfter = heapAfterGc();
            assertTrue(heapAfter - heapBefore < HEAP_SLACK, "heap grew by " + (heapAfter - heapBefore)
                    + " bytes for " + threads + " threads");
        } finally {
            tracking.close();
            slab.close();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
