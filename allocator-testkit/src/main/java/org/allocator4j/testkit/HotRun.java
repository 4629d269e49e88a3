package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The high-contention mode: more threads than cores and more than 8, fresh threads in every phase on the
 * same allocator instance, hot size classes, little testkit work between operations (a block is claimed
 * by address in a concurrent map and filled with its stamp byte; three words are checked when it changes
 * hands or is freed), each phase bounded by time; phases go on until the one instance has served at least
 * {@value #MIN_ALLOCATIONS} allocations. At each phase's end every block still live is checked in a
 * {@link LiveBlocks} for size, alignment and overlap.
 */
final class HotRun {
    /** The allocations one instance serves at least, whatever the time bound. */
    static final int MIN_ALLOCATIONS = 65_536;
    private static final long DEADLINE_SECONDS = Long.getLong("allocator4j.testkit.concurrencyDeadlineSeconds", 300);
    /** The hot classes: a few small sizes every thread asks for. */
    private static final long[] HOT_SIZES = {16, 32, 48, 64, 64, 128};

    /** A block held by a thread of the run, filled with its stamp. */
    private record Hot(MemorySegment segment, Layout layout, byte stamp) {
    }

    private HotRun() {
    }

    /** {@return the number of threads: more than the cores, and more than 8} */
    static int threads() {
        return Math.max(16, 2 * Runtime.getRuntime().availableProcessors() + 1);
    }

    static void run(AllocatorContract contract, TestLevel level) throws Exception {
        GlobalAllocator allocator = contract.newAllocator();
        Journal journal = new Journal(allocator.name());
        int threads = threads();
        Map<Long, Hot> owners = new ConcurrentHashMap<>();
        Queue<Hot> handedOver = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong allocations = new AtomicLong();
        long maxAlignment = Math.min(16, contract.capabilities().maxAlignment());
        String setting = threads + " threads (" + Runtime.getRuntime().availableProcessors() + " cores), fresh in each"
                + " phase of " + level.hotPhaseMillis + " ms, hot sizes, one allocator instance";
        journal.record("high contention: " + setting);
        int phase = 0;
        for (; (phase < level.hotPhases || allocations.get() < MIN_ALLOCATIONS) && failure.get() == null; phase++) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            long[] stop = new long[1];
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        work(allocator, journal, owners, handedOver, allocations, maxAlignment, stop[0], failure);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "testkit-hot-" + phase + "-" + t);
                workers.add(worker);
                worker.start();
            }
            stop[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(level.hotPhaseMillis);
            start.countDown();
            join(workers, journal, setting, failure);
            if (failure.get() == null) {
                checkLive(owners, journal, "after phase " + phase);
            }
            if (phase > 10_000) {
                break; // a bound, for an allocator so slow that the minimum takes more than 10,000 phases
            }
        }
        Throwable thrown = failure.get();
        if (thrown instanceof ContractViolation violation) {
            throw journal.violation(violation.rule(), "under " + setting + ", phase " + (phase - 1) + ": "
                    + violation.getMessage().lines().findFirst().orElse(""), violation);
        }
        if (thrown != null) {
            throw journal.violation(Rule.THREAD_SAFETY, "under " + setting + ": a thread threw " + thrown, thrown);
        }
        journal.record(phase + " phases, " + allocations.get() + " allocations on the instance");
        for (Hot block : owners.values()) {
            free(allocator, journal, owners, block);
        }
        contract.close(allocator);
    }

    private static void work(GlobalAllocator allocator, Journal journal, Map<Long, Hot> owners, Queue<Hot> handedOver,
                             AtomicLong allocations, long maxAlignment, long stopAt,
                             AtomicReference<Throwable> failure) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Hot> mine = new ArrayList<>();
        for (int i = 0; failure.get() == null && ((i & 63) != 0 || System.nanoTime() < stopAt); i++) {
            int choice = random.nextInt(100);
            if (choice < 45 || mine.isEmpty()) {
                Layout layout = Layout.of(HOT_SIZES[random.nextInt(HOT_SIZES.length)],
                        Math.min(8L << random.nextInt(2), maxAlignment));
                boolean zeroed = random.nextInt(8) == 0;
                MemorySegment segment = zeroed ? allocator.allocateZeroed(layout) : allocator.allocate(layout);
                allocations.incrementAndGet();
                mine.add(claim(owners, journal, segment, layout, zeroed));
            } else if (choice < 80) {
                free(allocator, journal, owners, mine.remove(random.nextInt(mine.size())));
            } else if (choice < 88) {
                handedOver.add(mine.remove(random.nextInt(mine.size())));
            } else if (choice < 96) {
                Hot other = handedOver.poll();
                if (other != null) {
                    verify(journal, other, "when handed to " + Thread.currentThread().getName());
                    mine.add(other);
                }
            } else {
                Hot block = mine.remove(random.nextInt(mine.size()));
                verify(journal, block, "before its reallocate");
                owners.remove(block.segment().address(), block);
                long newSize = HOT_SIZES[random.nextInt(HOT_SIZES.length)];
                MemorySegment moved = allocator.reallocate(block.segment(), block.layout(), newSize);
                allocations.incrementAndGet();
                mine.add(claim(owners, journal, moved, Layout.of(newSize, block.layout().alignment()), false));
            }
        }
        // What is left stays claimed in owners: the phase's end checks it, a later phase or the end frees it.
        handedOver.addAll(mine);
    }

    private static Hot claim(Map<Long, Hot> owners, Journal journal, MemorySegment segment, Layout layout,
                             boolean zeroed) {
        if (segment.byteSize() != layout.size() || !layout.isAligned(segment.address()) || !segment.isNative()) {
            throw journal.violation(segment.byteSize() != layout.size() ? Rule.EXACT_SIZE
                    : !segment.isNative() ? Rule.NATIVE : Rule.ALIGNMENT, "returned " + segment + " for " + layout);
        }
        if (zeroed && (segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != 0
                || segment.get(ValueLayout.JAVA_LONG_UNALIGNED, layout.size() - 8) != 0)) {
            throw journal.violation(Rule.ZEROED, "allocateZeroed(" + layout + ") returned non-zero bytes at 0x"
                    + Long.toHexString(segment.address()));
        }
        Hot block = new Hot(segment, layout, (byte) ThreadLocalRandom.current().nextInt(1, 256));
        Hot other = owners.putIfAbsent(segment.address(), block);
        if (other != null) {
            throw journal.violation(Rule.NO_OVERLAP, "returned address 0x" + Long.toHexString(segment.address())
                    + " for " + layout + " to " + Thread.currentThread().getName() + " while it is live as "
                    + other.layout() + " (handed out twice)");
        }
        segment.fill(block.stamp());
        return block;
    }

    private static void free(GlobalAllocator allocator, Journal journal, Map<Long, Hot> owners, Hot block) {
        verify(journal, block, "before its deallocate");
        owners.remove(block.segment().address(), block);
        allocator.deallocate(block.segment(), block.layout());
    }

    private static void verify(Journal journal, Hot block, String when) {
        MemorySegment segment = block.segment();
        long size = block.layout().size();
        long expected = 0x0101_0101_0101_0101L * (block.stamp() & 0xFF);
        for (long offset : new long[] {0, (size / 2) & ~7L, size - 8}) {
            long seen = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            if (seen != expected) {
                throw journal.violation(Rule.INTEGRITY, "the block at 0x" + Long.toHexString(segment.address())
                        + ", " + block.layout() + " of " + Thread.currentThread().getName() + " changed " + when
                        + ": word at offset " + offset + " is 0x" + Long.toHexString(seen) + ", expected 0x"
                        + Long.toHexString(expected) + " (another thread holds the same memory?)");
            }
        }
    }

    /** Checks the blocks live between phases for overlap, as a whole. */
    private static void checkLive(Map<Long, Hot> owners, Journal journal, String when) {
        LiveBlocks live = new LiveBlocks(journal);
        for (Hot block : owners.values()) {
            verify(journal, block, when);
            live.add(block.segment(), block.layout(), "live " + when);
            MemorySegment segment = block.segment();
            segment.fill(block.stamp()); // the address probe restored what it changed; write the stamp again
        }
    }

    private static void join(List<Thread> workers, Journal journal, String setting, AtomicReference<Throwable> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        for (Thread worker : workers) {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                failure.compareAndSet(null, journal.violation(Rule.THREAD_SAFETY, setting + ": " + worker.getName()
                        + " did not finish within " + DEADLINE_SECONDS + " s (a deadlock?)"));
                workers.forEach(Thread::interrupt);
                return;
            }
        }
    }
}
