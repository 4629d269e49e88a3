package org.allocator4j.compare.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.compare.footprint.ResidentMemory;

/**
 * What a worker does with its one strategy: every pass over the trace, in this order.
 * <ol>
 *   <li><b>Warm-up</b>, on a thread of its own that stays alive (parked) to the end: the first
 *       {@code warmupEvents} events of the trace itself (the sizes the strategy will see, capped at
 *       {@value #WARMUP_SIZE_CAP} bytes), in every mode, a few rounds, on a throwaway instance where the
 *       strategy makes a fresh one per call, and on the loop-cost allocator; then the strategy gives its free
 *       memory back where that matters (jemalloc's purge, {@code mi_collect}).</li>
 *   <li><b>Checked passes</b>, {@value #CHECKED_PASSES}, each on a fresh thread (so with a malloc arena,
 *       thread cache and heap of its own, untouched by the warm-up, as in a fresh process): every block
 *       filled (so its pages are resident, as a real program's are), size, alignment and, when verifying,
 *       contents checked; the footprint (resident memory above the pass's own baseline) and the allocator's
 *       own figure sampled at the trace's {@link SamplePlan}. The result takes the median of the passes at
 *       each point. Not timed.</li>
 *   <li><b>Timed runs</b>: {@code runs} replays with no integrity work and no sampling, each after a
 *       replay of the same loop on {@link NullAllocator} (the loop's own cost).</li>
 *   <li><b>Latency pass</b>: every call timed on its own into HdrHistograms, separately, so that the
 *       clock reads (about 20-30 ns each) do not inflate the timed runs.</li>
 * </ol>
 * Any exception other than {@code AllocationException} aborts the remaining passes; the result says where.
 */
final class StrategyReplay {
    /** Events the warm-up replays at least, over as many rounds of the prefix as that takes. */
    private static final long WARMUP_TARGET = 300_000;
    private static final int MAX_WARMUP_ROUNDS = 20;
    /** The warm-up's largest block: below glibc's smallest mmap threshold (see {@link ReplayLoop#capSizes}). */
    static final long WARMUP_SIZE_CAP = 64 * 1024;
    /** Reads of the probes in the warm-up: enough for the JIT's last tier. */
    private static final int PROBE_WARMUP_READS = 20_000;
    /** Checked passes, each on a fresh thread; the footprint is the least reading of them at each point. */
    static final int CHECKED_PASSES = 3;

    private final int runs;
    private final int samples;
    private final boolean verify;
    private final long warmupEvents;

    /**
     * @param runs         timed replays (at least 1)
     * @param samples      evenly spaced footprint samples (at least 1)
     * @param verify       whether the checked pass checks block contents
     * @param warmupEvents events of the trace's prefix the warm-up replays (0 for none)
     */
    StrategyReplay(int runs, int samples, boolean verify, long warmupEvents) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs=" + runs + " is below 1");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples=" + samples + " is below 1");
        }
        if (warmupEvents < 0) {
            throw new IllegalArgumentException("warmupEvents=" + warmupEvents + " is negative");
        }
        this.runs = runs;
        this.samples = samples;
        this.verify = verify;
        this.warmupEvents = warmupEvents;
    }

    /**
     * {@return the result of every pass of {@code source} on {@code subject}}: the warm-up on a thread of its
     * own, each checked pass on a fresh one, the timed runs and the latency pass on another; every thread
     * stays alive (parked) until the end, because glibc hands the arena of a thread that exits to the next
     * new one. What the warm-up left is in the baseline and never reused.
     *
     * @param shape    the trace's event count, peak and live-block peak ({@link TraceShape#of})
     * @param resident the worker's resident memory
     */
    ReplayResult replay(Subject subject, EventSource source, TraceShape shape, ResidentMemory resident) {
        Session session = new Session(subject, source, shape, resident);
        CountDownLatch finished = new CountDownLatch(1);
        Thread warmupThread = Thread.ofPlatform().name("compare-warm-up").unstarted(() -> {
            session.warmUp();
            try {
                finished.await(); // stay alive: a thread that exits hands its malloc arena to the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            warmupThread.start();
            session.warmupDone.await();
            for (int k = 0; k < CHECKED_PASSES && session.aborted == null; k++) {
                int pass = k;
                CountDownLatch done = new CountDownLatch(1);
                Thread.ofPlatform().name("compare-checked-" + k).start(() -> {
                    try {
                        session.checked(pass);
                    } finally {
                        done.countDown();
                    }
                    try {
                        finished.await(); // stay alive, as the warm-up thread does
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                done.await();
            }
            if (session.aborted == null) {
                Thread timed = Thread.ofPlatform().name("compare-timed").start(session::timed);
                timed.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.aborted = "interrupted in the " + session.pass + " pass";
        } finally {
            finished.countDown();
            if (!session.shared) {
                close(session.measured);
            }
        }
        return session.result();
    }

    /** The state of one strategy's replay across its passes. */
    private final class Session {
        final Subject subject;
        final EventSource source;
        final TraceShape shape;
        final ResidentMemory resident;
        final EventBatch batch = new EventBatch();
        final LiveBlocks live;
        final Latencies latencies = new Latencies();
        final SamplePlan plan;
        final LongSupplier residentBytes;
        final LongSupplier own;
        final CountDownLatch warmupDone = new CountDownLatch(1);
        final GlobalAllocator measured;
        final boolean shared;
        volatile String pass = "warm-up";
        volatile String aborted;
        String warmup = "none";
        final List<String> problems = new ArrayList<>();
        long[] runNanos = new long[0];
        long[] loopNanos = new long[0];
        Latencies.Summary latency;
        ReplayLoop checked;
        long baseline;
        long ownBaseline;
        long liveAtEnd;
        long[][] passResident = new long[0][];
        long[][] passOwn = new long[0][];
        long[] passRetained = new long[0];
        int checkedPasses;

        Session(Subject subject, EventSource source, TraceShape shape, ResidentMemory resident) {
            this.subject = subject;
            this.source = source;
            this.shape = shape;
            this.resident = resident;
            this.live = new LiveBlocks(shape.peakLiveBlocks());
            this.plan = SamplePlan.of(shape.events(), samples, shape.peakEvent());
            this.residentBytes = resident::bytes; // made once: nothing new is made after the baseline
            this.own = subject.own();
            this.measured = subject.allocator().get();
            GlobalAllocator other = subject.allocator().get();
            this.shared = other == measured;
            if (!shared) {
                close(other); // the warm-up makes its own throwaway instance, on its own thread
            }
        }

        void warmUp() {
            try {
                if (warmupEvents > 0) {
                    long prefix = Math.min(warmupEvents, shape.events());
                    int rounds = Math.clamp((WARMUP_TARGET + prefix - 1) / prefix, 2, MAX_WARMUP_ROUNDS);
                    GlobalAllocator throwaway = shared ? measured : subject.allocator().get();
                    SamplePlan prefixPlan = SamplePlan.of(prefix, samples, -1);
                    for (int round = 0; round < rounds; round++) {
                        warmUp(throwaway, ReplayLoop.Mode.TIMED, prefix, null);
                        warmUp(throwaway, ReplayLoop.Mode.CHECKED, prefix, prefixPlan);
                        warmUp(throwaway, ReplayLoop.Mode.LATENCY, prefix, null);
                        warmUp(new NullAllocator(), ReplayLoop.Mode.TIMED, prefix, null);
                    }
                    latencies.reset();
                    for (int i = 0; i < PROBE_WARMUP_READS; i++) {
                        residentBytes.getAsLong(); // compiled now, not in the checked pass
                        if (own != null) {
                            own.getAsLong();
                        }
                    }
                    if (!shared) {
                        close(throwaway);
                    }
                    warmup = rounds + " rounds of the first " + prefix + " events (sizes capped at "
                            + WARMUP_SIZE_CAP / 1024 + " KiB), in every pass's mode, on a thread of its own"
                            + (shared ? "" : " with a throwaway instance") + "; then "
                            + subject.releaseDescription() + "; the baseline read on a fresh thread";
                }
                subject.release().run();
                System.gc();
                JitIdle.await();
            } catch (RuntimeException e) {
                aborted = "in the warm-up pass: " + e;
            } finally {
                warmupDone.countDown();
            }
        }

        /**
         * Checked pass {@code k}, on a fresh thread: the footprint above its own baseline at each point. The
         * result takes the median of the passes at each point: what the allocator holds is there in every
         * pass, while the JVM's own work (a compilation, a collection) moves one reading up or down.
         */
        void checked(int k) {
            GlobalAllocator allocator = shared || k == 0 ? measured : subject.allocator().get();
            try {
                pass = "checked";
                ReplayLoop loop = new ReplayLoop(allocator, ReplayLoop.Mode.CHECKED, verify, live, null);
                long ownBase = own == null ? 0 : own.getAsLong();
                long base = resident.bytes();
                loop.sampleAt(plan, residentBytes, own);
                loop.run(source, batch, Long.MAX_VALUE);
                int blocksAtEnd = loop.liveBlocks();
                loop.drain();
                subject.release().run();
                long left = resident.bytes() - base;
                int n = loop.samples();
                if (k == 0) {
                    checked = loop;
                    baseline = base;
                    liveAtEnd = blocksAtEnd;
                    passResident = new long[CHECKED_PASSES][];
                    passOwn = new long[CHECKED_PASSES][];
                    passRetained = new long[CHECKED_PASSES];
                }
                passRetained[k] = left;
                passResident[k] = new long[n];
                passOwn[k] = new long[n];
                for (int i = 0; i < n; i++) {
                    passResident[k][i] = loop.sampleResident[i] - base;
                    passOwn[k][i] = loop.sampleOwn[i] - ownBase;
                }
                checkedPasses++;
            } catch (RuntimeException e) {
                aborted = "in the checked pass: " + e;
            } finally {
                if (!shared && k > 0) {
                    close(allocator);
                }
            }
        }

        /** The timed runs, then the latency pass, on a fresh thread. */
        void timed() {
            try {
                pass = "timed";
                runNanos = new long[runs];
                loopNanos = new long[runs];
                for (int run = 0; run < runs; run++) {
                    loopNanos[run] = pass(new NullAllocator(), ReplayLoop.Mode.TIMED, Long.MAX_VALUE).nanos;
                    GlobalAllocator allocator = shared ? measured : subject.allocator().get();
                    runNanos[run] = pass(allocator, ReplayLoop.Mode.TIMED, Long.MAX_VALUE).nanos;
                    if (!shared) {
                        close(allocator);
                    }
                }

                pass = "latency";
                pass(measured, ReplayLoop.Mode.LATENCY, Long.MAX_VALUE);
                latency = latencies.summary(timerNanos());
            } catch (RuntimeException e) {
                aborted = "in the " + pass + " pass: " + e;
            }
        }

        private void warmUp(GlobalAllocator allocator, ReplayLoop.Mode mode, long limit, SamplePlan prefixPlan) {
            ReplayLoop loop = new ReplayLoop(allocator, mode, verify, live, latencies);
            loop.capSizes(WARMUP_SIZE_CAP);
            if (prefixPlan != null) {
                loop.sampleAt(prefixPlan, residentBytes, own);
            }
            loop.run(source, batch, limit);
            loop.drain();
        }

        private ReplayLoop pass(GlobalAllocator allocator, ReplayLoop.Mode mode, long limit) {
            ReplayLoop loop = new ReplayLoop(allocator, mode, false, live, latencies);
            loop.run(source, batch, limit);
            loop.drain();
            return loop;
        }

        ReplayResult result() {
            int n = checked == null ? 0 : checked.samples();
            long[] events = new long[n];
            long[] liveBytes = new long[n];
            long[] residentBytes = new long[n];
            long[] ownBytes = new long[n];
            for (int i = 0; i < n; i++) {
                events[i] = checked.samplePoint(i);
                liveBytes[i] = checked.sampleLive[i];
                residentBytes[i] = median(passResident, i);
                ownBytes[i] = median(passOwn, i);
            }
            long retainedBytes = median(new long[][] {Arrays.copyOf(passRetained, checkedPasses)}, -1);
            boolean ran = checked != null;
            if (ran) {
                problems.addAll(checked.problems());
            }
            return new ReplayResult(subject.name(), subject.kind(), subject.version(), aborted, shape.events(),
                    warmup + "; footprint: the median of " + checkedPasses + " checked passes at each point",
                    runNanos, loopNanos, latency == null ? latencies.summary(0) : latency,
                    ResidentMemory.SOURCE, baseline, events, liveBytes, residentBytes, retainedBytes,
                    own == null ? "n/a" : subject.ownSource(), own == null ? null : ownBytes,
                    ran ? checked.peakLive : 0,
                    ran ? checked.failures : 0, ran ? checked.corrupt : 0, ran ? checked.contractErrors : 0,
                    ran ? checked.unknownFrees : 0, ran ? checked.unknownReallocs : 0, liveAtEnd, verify,
                    List.copyOf(problems), -1);
        }
    }

    private static void close(GlobalAllocator allocator) {
        if (allocator instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + allocator.name() + " failed: " + e, e);
            }
        }
    }

    /**
     * {@return the median over the passes that ran of {@code passes[k][i]}}; with {@code i < 0}, the median
     * of {@code passes[0]}
     */
    private static long median(long[][] passes, int i) {
        long[] values = i < 0 ? passes[0].clone()
                : Arrays.stream(passes).filter(p -> p != null && i < p.length).mapToLong(p -> p[i]).toArray();
        if (values.length == 0) {
            return -1;
        }
        Arrays.sort(values);
        return values[(values.length - 1) / 2];
    }

    /** {@return the median time of two back-to-back {@code System.nanoTime()} calls} */
    static long timerNanos() {
        long[] pairs = new long[10_001];
        for (int i = 0; i < pairs.length; i++) {
            long t0 = System.nanoTime();
            pairs[i] = System.nanoTime() - t0;
        }
        Arrays.sort(pairs);
        return pairs[pairs.length / 2];
    }
}
