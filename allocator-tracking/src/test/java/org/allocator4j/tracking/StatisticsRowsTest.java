package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * {@link Statistics}' rows: platform threads own theirs, virtual threads add into a fixed set of shared
 * rows, and the counts stay exact either way.
 */
class StatisticsRowsTest {

    @Test
    void stripes_anyMachine_isAPowerOfTwoOfAtLeastTwiceTheProcessors() {
        int stripes = new Statistics(0, 0).stripes();
        assertEquals(0, stripes & (stripes - 1), "stripes=" + stripes);
        assertTrue(stripes >= 2 * Runtime.getRuntime().availableProcessors(), "stripes=" + stripes);
        assertTrue(stripes < 4 * Runtime.getRuntime().availableProcessors(), "stripes=" + stripes);
    }

    @Test
    void cell_platformThread_ownsOneRowForItsLife() throws Exception {
        Statistics stats = new Statistics(0, 0);
        long[][] seen = new long[2][];
        Thread thread = Thread.ofPlatform().start(() -> {
            seen[0] = stats.cell();
            seen[1] = stats.cell();
        });
        thread.join();
        assertSame(seen[0], seen[1]);
        assertFalse(CounterRow.isShared(seen[0]));
        assertEquals(thread.threadId(), seen[0][CounterRow.OWNER]);
    }

    @Test
    void cell_virtualThreads_shareTheStripedRowsAndRegisterNone() throws Exception {
        Statistics stats = new Statistics(0, 0);
        int before = stats.ownedRows();
        List<long[]> cells = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10_000; i++) {
                virtual.submit(() -> cells.add(stats.cell()));
            }
        }
        assertEquals(before, stats.ownedRows(), "a virtual thread registered a row");
        long distinct = cells.stream().map(System::identityHashCode).distinct().count();
        assertTrue(distinct <= stats.stripes(), "distinct rows=" + distinct + " stripes=" + stats.stripes());
        assertTrue(distinct > 1, "10000 thread ids all hashed to one row");
        cells.forEach(row -> assertTrue(CounterRow.isShared(row)));
    }

    /** Many virtual threads adding into the same few rows at once lose no count. */
    @Test
    void snapshot_virtualThreadsRacingOnSharedRows_countsExactly() throws Exception {
        Statistics stats = new Statistics(Tracking.DEFAULT_PEAK_QUANTUM, 7);
        int threads = 2_000;
        int perThread = 200;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger sampled = new AtomicInteger();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(virtual.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long[] row = stats.cell();
                        if (stats.allocated(row, 64)) {
                            sampled.incrementAndGet();
                        }
                        stats.reallocated(stats.cell(), 64, 100);
                        stats.deallocated(stats.cell(), 100);
                        if (i % 50 == 0) {
                            stats.failed(stats.cell());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        long ops = (long) threads * perThread;
        Snapshot s = stats.snapshot();
        assertEquals(ops, s.allocations());
        assertEquals(ops, s.deallocations());
        assertEquals(ops, s.reallocations());
        assertEquals(threads * 4L, s.failures());
        assertEquals(ops * 164, s.bytesAllocated());
        assertEquals(ops * 164, s.bytesFreed());
        assertEquals(0, s.liveBytes());
        assertEquals(ops, s.histogram()[Snapshot.bucketOf(64)]);
        assertTrue(s.peakLiveBytes() >= 100 && s.peakLiveBytes() <= ops * 100, "peak=" + s.peakLiveBytes());
        // One in about 7 per row: each row's count runs down and restarts; racing adders may skip a restart.
        assertTrue(sampled.get() > 0 && sampled.get() <= ops / 7 + stats.stripes(), "sampled=" + sampled);
    }

    @Test
    void peak_exactQuantumAndVirtualThreadsKeepingBlocks_isTheTotalKept() throws Exception {
        Statistics stats = new Statistics(0, 0);
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1_000; i++) {
                virtual.submit(() -> stats.allocated(stats.cell(), 48));
            }
        }
        Snapshot s = stats.snapshot();
        assertEquals(48_000, s.liveBytes());
        assertEquals(48_000, s.peakLiveBytes());
        Thread.ofVirtual().start(() -> stats.deallocated(stats.cell(), 48_000)).join();
        assertEquals(0, stats.snapshot().liveBytes());
        assertEquals(48_000, stats.snapshot().peakLiveBytes());
    }

    /** One virtual thread at a time: its shared row's unpublished bytes plus the published are the truth. */
    @Test
    void peak_oneVirtualThreadAtATime_isExactWhateverTheQuantum() throws Exception {
        Statistics stats = new Statistics(Tracking.DEFAULT_PEAK_QUANTUM, 0);
        for (int i = 0; i < 8; i++) {
            Thread.ofVirtual().start(() -> stats.allocated(stats.cell(), 10_000)).join();
        }
        assertEquals(80_000, stats.snapshot().peakLiveBytes());
        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 8; i++) {
                stats.deallocated(stats.cell(), 10_000);
            }
            stats.allocated(stats.cell(), 5);
        }).join();
        Snapshot s = stats.snapshot();
        assertEquals(5, s.liveBytes());
        assertEquals(80_000, s.peakLiveBytes());
    }

    @Test
    void snapshot_platformAndVirtualThreadsMixed_sumsEveryRow() throws Exception {
        Statistics stats = new Statistics(Tracking.DEFAULT_PEAK_QUANTUM, 0);
        stats.allocated(stats.cell(), 1); // this (platform) thread: a hot row
        Thread.ofPlatform().start(() -> stats.allocated(stats.cell(), 10)).join(); // dies: folded
        Thread.ofVirtual().start(() -> stats.allocated(stats.cell(), 100)).join();
        Snapshot s = stats.snapshot();
        assertEquals(3, s.allocations());
        assertEquals(111, s.liveBytes());
        assertTrue(s.peakLiveBytes() >= 111, "peak=" + s.peakLiveBytes());
    }
}
