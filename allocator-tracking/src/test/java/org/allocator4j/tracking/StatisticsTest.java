package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class StatisticsTest {

    private static TrackingAllocator tracking() {
        return Tracking.builder(GlobalAllocator.system()).jmx(false).build();
    }

    @Test
    void snapshot_afterAllocateAndFree_countsBytesAndBuckets() {
        try (TrackingAllocator t = tracking()) {
            MemorySegment a = t.allocate(Layout.of(100, 8));
            MemorySegment b = t.allocateZeroed(Layout.of(1, 1));
            t.deallocate(a, Layout.of(100, 8));
            Snapshot s = t.snapshot();
            assertEquals(2, s.allocations());
            assertEquals(1, s.deallocations());
            assertEquals(101, s.bytesAllocated());
            assertEquals(100, s.bytesFreed());
            assertEquals(1, s.liveBytes());
            assertEquals(1, s.liveBlocks());
            assertEquals(101, s.peakLiveBytes());
            assertEquals(1, s.histogram()[Snapshot.bucketOf(100)]);
            assertEquals(1, s.histogram()[1]);
            t.deallocate(b, Layout.of(1, 1));
        }
    }

    @Test
    void bucketOf_powersOfTwo_fallInTheirUpperBoundBucket() {
        assertEquals(0, Snapshot.bucketOf(0));
        assertEquals(1, Snapshot.bucketOf(1));
        assertEquals(2, Snapshot.bucketOf(2));
        assertEquals(3, Snapshot.bucketOf(3));
        assertEquals(3, Snapshot.bucketOf(4));
        assertEquals(11, Snapshot.bucketOf(1024));
        assertEquals(12, Snapshot.bucketOf(1025));
        assertEquals(64, Snapshot.bucketOf(Long.MAX_VALUE));
        for (int b = 1; b < Snapshot.BUCKETS - 1; b++) {
            assertEquals(b, Snapshot.bucketOf(Snapshot.bucketUpperBound(b)), "bucket=" + b);
            assertEquals(b + 1, Snapshot.bucketOf(Snapshot.bucketUpperBound(b) + 1), "bucket=" + b);
        }
    }

    @Test
    void bucketUpperBound_outOfRange_throwsNamingBucket() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Snapshot.bucketUpperBound(65));
        assertTrue(e.getMessage().contains("bucket=65"), e.getMessage());
    }

    @Test
    void allocate_zeroSize_returnsDanglingAndCountsZeroBucket() {
        try (TrackingAllocator t = tracking()) {
            Layout zero = Layout.of(0, 64);
            MemorySegment block = t.allocate(zero);
            assertEquals(64, block.address());
            assertEquals(0, block.byteSize());
            t.deallocate(block, zero);
            Snapshot s = t.snapshot();
            assertEquals(1, s.allocations());
            assertEquals(1, s.histogram()[0]);
            assertEquals(0, s.liveBytes());
        }
    }

    @Test
    void reallocate_growAndShrink_keepsContentsAndCountsBytes() {
        try (TrackingAllocator t = tracking()) {
            Layout layout = Layout.of(16, 8);
            MemorySegment block = t.allocate(layout);
            block.fill((byte) 7);
            MemorySegment grown = t.reallocate(block, layout, 4096);
            assertEquals(7, grown.get(ValueLayout.JAVA_BYTE, 15));
            MemorySegment gone = t.reallocate(grown, Layout.of(4096, 8), 0);
            assertEquals(0, gone.byteSize());
            Snapshot s = t.snapshot();
            assertEquals(2, s.reallocations());
            assertEquals(0, s.liveBytes());
            assertEquals(16 + 4096, s.bytesAllocated());
            assertEquals(4096, s.peakLiveBytes());
            t.deallocate(gone, Layout.of(0, 8));
            assertEquals(0, t.snapshot().liveBlocks());
        }
    }

    @Test
    void measure_work_returnsItsDeltaAndPeak() {
        try (TrackingAllocator t = tracking()) {
            MemorySegment before = t.allocate(Layout.of(1000, 8));
            Snapshot work = t.measure(() -> {
                MemorySegment a = t.allocate(Layout.of(300, 8));
                MemorySegment b = t.allocate(Layout.of(200, 8));
                t.deallocate(a, Layout.of(300, 8));
                t.deallocate(b, Layout.of(200, 8));
                t.allocate(Layout.of(50, 8));
            });
            assertEquals(3, work.allocations());
            assertEquals(2, work.deallocations());
            assertEquals(550, work.bytesAllocated());
            assertEquals(50, work.liveBytes());
            assertEquals(500, work.peakLiveBytes());
            assertEquals(1500, t.snapshot().peakLiveBytes(), "the allocator's peak is restored after measure");
            t.deallocate(before, Layout.of(1000, 8));
        }
    }

    @Test
    void measure_supplier_returnsValueAndStats() {
        try (TrackingAllocator t = tracking()) {
            Measurement<MemorySegment> m = t.measure(() -> t.allocate(Layout.of(64, 64)));
            assertEquals(64, m.value().byteSize());
            assertEquals(64, m.stats().liveBytes());
            t.deallocate(m.value(), Layout.of(64, 64));
        }
    }

    @Test
    void failure_ofInner_isCountedAndAllocatorStaysUsable() {
        try (TrackingAllocator t = tracking()) {
            Layout huge = Layout.of(Long.MAX_VALUE / 2, 8);
            assertThrows(org.allocator4j.api.AllocationException.class, () -> t.allocate(huge));
            MemorySegment ok = t.allocate(Layout.of(8, 8));
            t.deallocate(ok, Layout.of(8, 8));
            Snapshot s = t.snapshot();
            assertEquals(1, s.failures());
            assertEquals(1, s.allocations());
            assertEquals(0, s.liveBytes());
        }
    }

    @Test
    void wrap_system_returnsTrackingOverIt() {
        try (TrackingAllocator t = Tracking.wrap(GlobalAllocator.system())) {
            assertSame(GlobalAllocator.system(), t.inner());
            assertEquals(Tracking.NAME, t.name());
        }
    }

    // ---- reconciliation under random sequences -------------------------------------------------------

    /** One step: allocate (kind 0), free (1), reallocate (2) a random live block; sizes 0..70000. */
    record Op(int kind, long size, int alignShift, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 256), Arbitraries.longs().between(0, 70_000)),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMaxSize(200);
    }

    @Property
    void snapshot_randomSequence_reconciles(@ForAll("ops") List<Op> ops,
                                            @ForAll @IntRange(min = 0, max = 3) int quantumShift) {
        long quantum = quantumShift == 0 ? 0 : 1L << (quantumShift * 6);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).jmx(false).sampleEvery(3)
                .peakQuantum(quantum).build()) {
            Model model = new Model();
            for (Op op : ops) {
                model.apply(t, op);
                Snapshot s = t.snapshot();
                assertReconciles(s);
                assertEquals(model.live, s.liveBytes());
                assertEquals(model.blocks.size(), s.liveBlocks());
                // One thread: the peak is exact whatever the quantum.
                assertEquals(model.peak, s.peakLiveBytes());
            }
            model.freeAll(t);
            assertEquals(0, t.snapshot().liveBytes());
            assertTrue(t.leaks().leaks().isEmpty(), t.leaks()::format);
        }
    }

    static void assertReconciles(Snapshot s) {
        assertEquals(s.bytesAllocated() - s.bytesFreed(), s.liveBytes());
        assertTrue(s.peakLiveBytes() >= s.liveBytes(), s::toString);
        assertEquals(s.allocations(), Arrays.stream(s.histogram()).sum(), s::toString);
    }

    /** The live blocks and bytes the test expects. */
    static final class Model {
        record Block(MemorySegment segment, Layout layout) {
        }

        final List<Block> blocks = new ArrayList<>();
        long live;
        long peak;

        void apply(GlobalAllocator a, Op op) {
            if (op.kind() == 0 || blocks.isEmpty()) {
                Layout layout = Layout.of(op.size(), 1L << op.alignShift());
                blocks.add(new Block(a.allocate(layout), layout));
                live += layout.size();
            } else {
                int i = op.pick() % blocks.size();
                Block block = blocks.get(i);
                if (op.kind() == 1) {
                    a.deallocate(block.segment(), block.layout());
                    blocks.set(i, blocks.get(blocks.size() - 1));
                    blocks.remove(blocks.size() - 1);
                    live -= block.layout().size();
                } else {
                    Layout newLayout = Layout.of(op.size(), block.layout().alignment());
                    blocks.set(i, new Block(a.reallocate(block.segment(), block.layout(), op.size()), newLayout));
                    live += op.size() - block.layout().size();
                }
            }
            peak = Math.max(peak, live);
        }

        void freeAll(GlobalAllocator a) {
            for (Block block : blocks) {
                a.deallocate(block.segment(), block.layout());
            }
            blocks.clear();
            live = 0;
        }
    }

    @Test
    void snapshot_afterManyShortLivedThreads_keepsTheirCounts() throws Exception {
        try (TrackingAllocator t = tracking()) {
            List<MemorySegment> kept = java.util.Collections.synchronizedList(new ArrayList<>());
            // More threads than the 128 direct-mapped slots, platform and virtual, each dying after its work:
            // their rows are folded into the retired row, and nothing is lost.
            for (int batch = 0; batch < 3; batch++) {
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Runnable work = () -> {
                        MemorySegment a = t.allocate(Layout.of(10, 8));
                        t.deallocate(t.allocate(Layout.of(20, 8)), Layout.of(20, 8));
                        kept.add(a);
                    };
                    threads.add(batch == 1 ? Thread.ofVirtual().start(work) : Thread.ofPlatform().start(work));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                Snapshot s = t.snapshot();
                assertReconciles(s);
                assertEquals((batch + 1) * 200L, s.allocations());
                assertEquals((batch + 1) * 100L * 10, s.liveBytes());
            }
            for (MemorySegment a : kept) {
                t.deallocate(a, Layout.of(10, 8)); // freed by another thread than the one that allocated it
            }
            assertEquals(0, t.snapshot().liveBytes());
            assertEquals(600, t.snapshot().deallocations());
        }
    }

    @Test
    void snapshot_afterFourThreadsOfRandomWork_reconciles() throws Exception {
        int threads = 4;
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).jmx(false).sampleEvery(7).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Model>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                long seed = w;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    Model model = new Model();
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        model.apply(t, new Op(random.nextInt(3), random.nextLong(0, 2048),
                                random.nextInt(7), random.nextInt(1000)));
                    }
                    return model;
                }));
            }
            start.countDown();
            long live = 0;
            long blocks = 0;
            List<Model> models = new ArrayList<>();
            for (Future<Model> f : futures) {
                Model m = f.get();
                models.add(m);
                live += m.live;
                blocks += m.blocks.size();
            }
            pool.shutdown();
            Snapshot s = t.snapshot();
            assertReconciles(s);
            assertEquals(live, s.liveBytes());
            assertEquals(blocks, s.liveBlocks());
            assertEquals(threads * 20_000L, s.allocations() + s.deallocations() + s.reallocations());
            // Free everything from this one thread: cross-thread frees reconcile too.
            for (Model m : models) {
                m.freeAll(t);
            }
            Snapshot end = t.snapshot();
            assertReconciles(end);
            assertEquals(0, end.liveBytes());
            assertEquals(0, end.liveBlocks());
            assertArrayEquals(new long[0], t.leaks().leaks().stream().mapToLong(Leak::blocks).toArray(),
                    t.leaks()::format);
        }
    }
}
