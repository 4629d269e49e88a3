package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A flood of short virtual threads, each allocating and freeing 64-byte blocks through tracking over
 * {@code system}: it completes, counts every block, and the statistics register no row per thread.
 * 200,000 threads in the default run; a million under {@code -Pdeep}.
 */
class TrackingVirtualThreadFloodTest {
    private static final Layout BLOCK = Layout.of(64, 8);
    private static final int BLOCKS_PER_THREAD = 4;

    @Test
    void flood_200kVirtualThreads_completesWithExactCountsAndNoRowPerThread() throws Exception {
        flood(200_000);
    }

    @Test
    @Tag("deep")
    void flood_1mVirtualThreads_completesWithExactCountsAndNoRowPerThread() throws Exception {
        flood(1_000_000);
    }

    private static void flood(int threads) throws Exception {
        try (TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).jmx(false).build()) {
            try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    virtual.submit(() -> {
                        MemorySegment[] blocks = new MemorySegment[BLOCKS_PER_THREAD];
                        for (int i = 0; i < BLOCKS_PER_THREAD; i++) {
                            blocks[i] = tracking.allocate(BLOCK);
                            blocks[i].set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, i);
                        }
                        for (MemorySegment block : blocks) {
                            tracking.deallocate(block, BLOCK);
                        }
                    });
                }
            } // close() waits for every thread
            Snapshot s = tracking.snapshot();
            long blocks = (long) threads * BLOCKS_PER_THREAD;
            assertEquals(blocks, s.allocations());
            assertEquals(blocks, s.deallocations());
            assertEquals(0, s.liveBytes());
            assertTrue(s.peakLiveBytes() >= 64 && s.peakLiveBytes() <= blocks * 64, "peak=" + s.peakLiveBytes());
        }
        // The rows themselves: a flood on a fresh Statistics leaves the platform rows as they were.
        Statistics stats = new Statistics(Tracking.DEFAULT_PEAK_QUANTUM, 0);
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                virtual.submit(() -> {
                    stats.allocated(stats.cell(), 64);
                    stats.deallocated(stats.cell(), 64);
                });
            }
        }
        assertEquals(0, stats.ownedRows(), "rows registered by virtual threads");
        assertEquals(threads, stats.snapshot().allocations());
    }
}
