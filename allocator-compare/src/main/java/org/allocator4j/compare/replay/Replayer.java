package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.Progress;
import org.allocator4j.compare.footprint.FootprintProbe;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.strategy.Strategy;

/**
 * Replays a {@link Trace} on one strategy, checking every block and sampling the footprint.
 *
 * <p>For each event: {@code alloc} allocates and fills the block with its {@link BlockPattern};
 * {@code realloc} checks the bytes that must survive, reallocates, checks them again in the new block and
 * refills it; {@code free} checks the whole block and frees it. A free of an id that is not live is counted
 * and skipped; a realloc of one is counted and allocated; an allocation of an id still live frees the old
 * block first. {@link org.allocator4j.api.AllocationException} counts as a failure and the replay goes on (a failed
 * allocation's later free is skipped quietly); any other exception aborts the replay of this strategy.
 * Blocks the trace leaves live are checked and freed at the end, so each replay cleans up after itself.
 *
 * What each event does is in {@link ReplayRun}.
 *
 * <p>Not thread-safe; one replay at a time, on the calling thread.
 */
public final class Replayer {
    /** Allocate-reallocate-free rounds that warm a strategy up before its replay. */
    private static final int WARMUP_CALLS = 20_000;

    private final int samples;
    private final boolean verify;
    private final Progress progress;
    private final long timerOverhead;

    /**
     * @param samples  footprint samples per replay (the chart's points), besides the peak and the end
     * @param verify   whether to fill and check the integrity pattern
     * @param progress where to report progress
     */
    public Replayer(int samples, boolean verify, Progress progress) {
        this.samples = samples;
        this.verify = verify;
        this.progress = progress;
        this.timerOverhead = timerOverhead();
    }

    /**
     * {@return the result of replaying the first {@code limit} events of {@code trace} on a fresh allocator
     * of {@code strategy}}
     *
     * @param peakEvent the index of the event after which live bytes peak ({@link TraceSummary#peakEvent()}),
     *                  sampled so the peak footprint is not missed between samples; -1 if unknown
     */
    public ReplayResult replay(Trace trace, Strategy strategy, int limit, int peakEvent) {
        GlobalAllocator allocator = strategy.allocator().get();
        GlobalAllocator other = strategy.allocator().get();
        int n = Math.min(limit, trace.length());
        ReplayRun run = new ReplayRun(allocator, strategy.footprint(), strategy.name(), samples + 8, verify,
                timerOverhead);
        FootprintProbe probe = strategy.footprint();
        String aborted = null;
        try {
            if (other == allocator) {
                // One shared instance (system, jemalloc, mimalloc): what the warm-up makes it hold (a page,
                // or mimalloc's first committed segment) it would have taken for the trace anyway: it counts.
                run.baseline = probe.available() ? probe.baseline() : 0;
                warmUp(allocator);
            } else {
                // A fresh instance per call: warm up on the other one, and leave what it holds out.
                warmUp(other);
                run.baseline = probe.available() ? probe.baseline() : 0;
            }
        } catch (RuntimeException e) {
            aborted = "in the warm-up (allocate 64 bytes, reallocate to 96, free): " + e;
            n = 0;
        }
        int interval = Math.max(1, n / samples);
        progress.start("replay on " + strategy.name(), n);
        run.sample(0);
        long start = System.nanoTime();
        int i = 0;
        try {
            for (; i < n; i++) {
                long id = trace.id(i);
                switch (trace.kind(i)) {
                    case Trace.ALLOC -> run.alloc(id, trace.size(i), trace.alignment(i));
                    case Trace.FREE -> run.free(id);
                    default -> run.realloc(id, trace.size(i));
                }
                run.peakLive = Math.max(run.peakLive, run.liveBytes);
                if ((i + 1) % interval == 0 || i == peakEvent) {
                    run.sample(i + 1);
                    progress.update(i + 1);
                }
            }
        } catch (RuntimeException e) {
            aborted = "at event " + i + " (" + trace.describe(i) + "): " + e;
        }
        long wall = System.nanoTime() - start - run.samplingNanos;
        progress.finish();
        if (n > 0 && aborted == null && (run.sampleCount == 0 || run.sampleEvents[run.sampleCount - 1] != n)) {
            run.sample(n);
        }
        long liveAtEnd = run.live.size();
        for (Map.Entry<Long, ReplayRun.Block> e : run.live.entrySet()) {
            try {
                run.free(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                run.problem("freeing the blocks left live failed; stopped: " + ex);
                break;
            }
        }
        run.live.clear();
        long retained = -1;
        if (strategy.footprint().available()) {
            retained = Math.max(0, strategy.footprint().bytes() - run.baseline);
        }
        if (allocator instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                run.problem("closing " + strategy.name() + " failed: " + e);
            }
        }
        return result(strategy, run, aborted, i, wall, retained, liveAtEnd);
    }

    /**
     * Warms a strategy's allocate, reallocate and deallocate paths up (JIT, lazy linking), so the replay's
     * first calls are not timed cold. Every block is freed; an instance that is not shared is left open
     * (closing it could be the one thing its strategy does not support after use).
     */
    private static void warmUp(GlobalAllocator allocator) {
        Layout layout = Layout.of(64, 16);
        for (int i = 0; i < WARMUP_CALLS; i++) {
            MemorySegment block = allocator.allocate(layout);
            block = allocator.reallocate(block, layout, 96);
            allocator.deallocate(block, Layout.of(96, 16));
        }
    }

    private ReplayResult result(Strategy strategy, ReplayRun run, String aborted, int events, long wall, long retained,
                                long liveAtEnd) {
        int count = run.sampleCount;
        long[] footprint = Arrays.copyOf(run.sampleFootprint, count);
        long peakFootprint = -1;
        double fragmentation = Double.NaN;
        String source = strategy.footprint().source();
        if (strategy.footprint().available()) {
            peakFootprint = Arrays.stream(footprint).max().orElse(0);
            if (strategy.kind().equals("provider") && peakFootprint < run.peakLive / 2) {
                // Far less held than live: this strategy's memory does not come from malloc, the probe cannot
                // see it. (Near live is possible: blocks reused from glibc's thread cache were in use before.)
                source = "n/a (" + source + " < live/2: memory not from malloc)";
                peakFootprint = -1;
                retained = -1;
                Arrays.fill(footprint, 0);
            } else {
                double sum = 0;
                int used = 0;
                for (int s = 0; s < count; s++) {
                    if (footprint[s] > 0) {
                        sum += Math.max(0, footprint[s] - run.sampleLive[s]) / (double) footprint[s];
                        used++;
                    }
                }
                fragmentation = used == 0 ? Double.NaN : sum / used;
            }
        }
        return new ReplayResult(strategy.name(), strategy.kind(), source, aborted, events, wall,
                Math.max(0, run.callNanos), run.calls, run.peakLive, peakFootprint, retained, fragmentation,
                run.failures, run.corrupt, run.contractErrors, run.unknownFrees, run.unknownReallocs, liveAtEnd,
                List.copyOf(run.problems), Arrays.copyOf(run.sampleEvents, count),
                Arrays.copyOf(run.sampleLive, count), footprint);
    }

    /** {@return the cost of one System.nanoTime() call, to subtract from each timed call} */
    private static long timerOverhead() {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < 10_000; i++) {
                sink += System.nanoTime();
            }
            long perCall = (System.nanoTime() - start) / 10_000;
            if (sink != 0) {
                best = Math.min(best, perCall);
            }
        }
        return best == Long.MAX_VALUE ? 0 : best;
    }
}
