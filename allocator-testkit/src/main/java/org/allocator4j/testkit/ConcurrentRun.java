package org.allocator4j.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * Threads doing random operations on one allocator: allocating, freeing, reallocating, handing blocks to
 * each other through a shared queue and freeing blocks another thread allocated. Every returned block is
 * checked for size, alignment and overlap with every live block of every thread (one shared
 * {@link LiveBlocks}), and every block's pattern is verified whenever it changes hands and before it is
 * freed. Each thread's operations come from {@code new Random(seed + thread)}: reproducible by seed as far
 * as the interleaving allows. Bounded: a fixed number of operations per thread, and a generous deadline
 * that only a deadlock reaches.
 */
final class ConcurrentRun {
    /** The deadline for one round: far above what it takes, only a hung allocator reaches it. */
    private static final long DEADLINE_SECONDS = Long.getLong("allocator4j.testkit.concurrencyDeadlineSeconds", 300);
    private static final long BASE_SEED = 0xA110_C4_7E57L;

    private ConcurrentRun() {
    }

    static void rounds(AllocatorContract contract, int threads, TestLevel level) throws Exception {
        for (int round = 0; round < level.concurrentRounds; round++) {
            run(contract, threads, BASE_SEED + 1_000_003L * round + threads, level.operationsPerThread);
        }
    }

    static void run(AllocatorContract contract, int threads, long seed, int operations) throws Exception {
        GlobalAllocator allocator = contract.newAllocator();
        LiveBlocks live = new LiveBlocks(new Journal(allocator.name()));
        Queue<Block> handedOver = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        String setting = threads + " threads, seed=" + seed + ", " + operations + " operations per thread";
        Capabilities capabilities = contract.capabilities();
        for (int t = 0; t < threads; t++) {
            List<Block> mine = new ArrayList<>();
            Heap heap = new Heap(allocator, live);
            Random random = new Random(seed + t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    work(heap, mine, handedOver, random, operations, capabilities, failure);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "testkit-worker-" + t);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                failure.compareAndSet(null, live.journal().violation(Rule.THREAD_SAFETY, setting + ": "
                        + worker.getName() + " did not finish within " + DEADLINE_SECONDS + " s (a deadlock?)"));
                workers.forEach(Thread::interrupt);
                break;
            }
        }
        Throwable thrown = failure.get();
        if (thrown instanceof ContractViolation violation) {
            throw live.journal().violation(violation.rule(), "under " + setting + ": "
                    + violation.getMessage().lines().findFirst().orElse(""), violation);
        }
        if (thrown != null) {
            throw live.journal().violation(Rule.THREAD_SAFETY, "under " + setting + ": a thread threw " + thrown,
                    thrown);
        }
        Heap heap = new Heap(allocator, live);
        heap.verifyAll("after all threads finished (" + setting + ")");
        heap.freeAll();
        contract.close(allocator);
    }

    private static void work(Heap heap, List<Block> mine, Queue<Block> handedOver, Random random, int operations,
                             Capabilities capabilities, AtomicReference<Throwable> failure) {
        String me = Thread.currentThread().getName();
        long maxSize = Math.min(capabilities.maxSize(), 64 * 1024);
        long maxAlignmentShift = 63 - Long.numberOfLeadingZeros(Math.min(capabilities.maxAlignment(), 4096));
        for (int i = 0; i < operations && failure.get() == null; i++) {
            int choice = random.nextInt(100);
            if (choice < 40 || mine.isEmpty()) {
                long size = random.nextInt(8) == 0 ? random.nextLong(maxSize + 1) : random.nextLong(Math.min(257, maxSize + 1));
                Layout layout = Layout.of(size, 1L << random.nextLong(maxAlignmentShift + 1));
                mine.add(random.nextInt(5) == 0 ? heap.allocateZeroed(layout) : heap.allocate(layout));
            } else if (choice < 60) {
                heap.free(mine.remove(random.nextInt(mine.size())));
            } else if (choice < 75) {
                handedOver.add(mine.remove(random.nextInt(mine.size())));
            } else if (choice < 90) {
                Block other = handedOver.poll();
                if (other != null) {
                    heap.live().verify(other, Rule.INTEGRITY, "while handed from one thread to " + me);
                    if (random.nextBoolean()) {
                        heap.free(other);
                    } else {
                        mine.add(other);
                    }
                }
            } else {
                int index = random.nextInt(mine.size());
                long size = random.nextLong(Math.min(1025, maxSize + 1));
                mine.set(index, heap.reallocate(mine.get(index), size));
            }
        }
        // The rest stays live in the shared LiveBlocks: the final check verifies and frees it.
        mine.clear();
    }
}
