package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Eight threads allocate blocks, stamp them, and hand them to another thread which checks the stamp and
 * frees them: every free is a cross-thread free. Bounded by operation counts, not by time.
 */
class CrossThreadFreeStressTest {
    private static final int THREADS = 8;

    private record Block(MemorySegment segment, Layout layout, long stamp) {
    }

    @Test
    void crossThreadFrees_eightThreads_noCorruptionAndEverythingReturns() throws Exception {
        run(20_000);
    }

    @Test
    @Tag("deep")
    void crossThreadFrees_eightThreadsDeep_noCorruptionAndEverythingReturns() throws Exception {
        run(500_000);
    }

    private static void run(int blocksPerThread) throws Exception {
        // Small caches so that flushes, refills and slab reuse happen often.
        SlabAllocator slab = SlabAllocator.create(new SlabConfig("system", 64 * 1024, 4096, 16, 0));
        try {
            List<BlockingQueue<Block>> inboxes = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                inboxes.add(new ArrayBlockingQueue<>(1024));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong corrupt = new AtomicLong();
            AtomicLong freed = new AtomicLong();
            CountDownLatch producersDone = new CountDownLatch(THREADS);
            Block poison = new Block(MemorySegment.NULL, Layout.of(0, 1), 0);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                BlockingQueue<Block> out = inboxes.get((t + 1) % THREADS);
                BlockingQueue<Block> in = inboxes.get(t);
                threads.add(new Thread(() -> {
                    try {
                        SplittableRandom random = new SplittableRandom(id);
                        Thread consumer = new Thread(() -> consume(slab, in, poison, corrupt, freed, failure));
                        consumer.start();
                        for (int i = 0; i < blocksPerThread; i++) {
                            long size = random.nextInt(4) == 0 ? 1 + random.nextInt(40_000) : 1 + random.nextInt(600);
                            Layout layout = Layout.of(size, 1L << random.nextInt(7));
                            MemorySegment block = slab.allocate(layout);
                            long stamp = ((long) id << 40) | i;
                            stampBlock(block, stamp);
                            if (!out.offer(new Block(block, layout, stamp), 30, TimeUnit.SECONDS)) {
                                throw new AssertionError("consumer stalled");
                            }
                        }
                        producersDone.countDown();
                        producersDone.await();
                        out.put(poison);
                        consumer.join();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "producer-" + t));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(5));
                assertTrue(!thread.isAlive(), "thread finished: " + thread);
            }
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(0, corrupt.get(), "corrupt blocks");
            assertEquals((long) THREADS * blocksPerThread, freed.get());
            slab.trim();
            SlabStatistics stats = slab.statistics();
            assertEquals(0, stats.inUseBytes(), "in use after all frees: " + stats);
            assertEquals(0, stats.retainedBytes(), "retained after trim: " + stats);
        } finally {
            slab.close();
        }
    }

    private static void consume(SlabAllocator slab, BlockingQueue<Block> in, Block poison, AtomicLong corrupt,
                                AtomicLong freed, AtomicReference<Throwable> failure) {
        try {
            while (true) {
                Block block = in.take();
                if (block == poison) {
                    return;
                }
                if (!stampOk(block.segment, block.stamp)) {
                    corrupt.incrementAndGet();
                }
                assertTrue(block.layout.isAligned(block.segment.address()), "aligned");
                slab.deallocate(block.segment, block.layout);
                freed.incrementAndGet();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void stampBlock(MemorySegment block, long stamp) {
        long size = block.byteSize();
        for (long off = 0; off + 8 <= size; off += Math.max(8, size / 8 & ~7)) {
            block.set(ValueLayout.JAVA_LONG_UNALIGNED, off, stamp ^ off);
        }
        block.set(ValueLayout.JAVA_BYTE, size - 1, (byte) stamp);
    }

    private static boolean stampOk(MemorySegment block, long stamp) {
        MemorySegment expected = MemorySegment.ofArray(new byte[(int) block.byteSize()]);
        stampBlock(expected, stamp); // the stamp's writes overlap for some sizes: compare with a replay
        return stampedBytesMatch(block, expected);
    }

    private static boolean stampedBytesMatch(MemorySegment block, MemorySegment expected) {
        long size = block.byteSize();
        for (long off = 0; off + 8 <= size; off += Math.max(8, size / 8 & ~7)) {
            if (block.get(ValueLayout.JAVA_LONG_UNALIGNED, off) != expected.get(ValueLayout.JAVA_LONG_UNALIGNED, off)) {
                return false;
            }
        }
        return block.get(ValueLayout.JAVA_BYTE, size - 1) == expected.get(ValueLayout.JAVA_BYTE, size - 1);
    }
}
