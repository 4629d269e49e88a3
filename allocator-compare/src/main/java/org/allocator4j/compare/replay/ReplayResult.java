package org.allocator4j.compare.replay;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What replaying a trace on one strategy in its worker gave: the timed runs, the loop's own cost, the
 * latency percentiles, the footprint samples and the integrity counts. Serializable: the worker sends it
 * back to the parent. Arrays are shared, not copied: treat them as read-only.
 *
 * @param strategy         the strategy's name
 * @param kind             {@code built-in}, {@code native} or {@code provider}
 * @param version          the library's version where it reports one (glibc, jemalloc, mimalloc), else ""
 * @param aborted          why the replay stopped early (the allocator threw something other than
 *                         {@code AllocationException}), or null if every pass replayed every event
 * @param events           events in the trace
 * @param warmup           how the strategy was warmed up and how the warm-up's memory is kept out of
 *                         its footprint
 * @param runNanos         each timed replay's time: allocator calls and the live-block table, nothing else
 * @param loopNanos        each replay of the same loop on an allocator that allocates nothing, run
 *                         between the timed replays: the loop's own cost, included in {@code runNanos}
 * @param latency          per-call latency percentiles by event kind, from a separate pass
 * @param residentSource   what {@code sampleResident} measures
 * @param baselineResident the worker's resident bytes at the baseline (after the warm-up)
 * @param sampleEvents     the event count of each sample (the same points for every strategy)
 * @param sampleLive       live bytes at each sample
 * @param sampleResident   resident bytes above the baseline at each sample (the footprint)
 * @param retainedResident resident bytes above the baseline after every block was freed
 * @param ownSource        what {@code sampleOwn} measures: the allocator's own figure, or "n/a"
 * @param sampleOwn        the allocator's own figure above its baseline at each sample, null if n/a
 * @param peakLiveBytes    the most bytes live at once
 * @param failures         requests that threw {@code AllocationException} (in the checked pass)
 * @param corruptBlocks    blocks whose contents were wrong when checked
 * @param contractErrors   blocks of the wrong size or alignment
 * @param unknownFrees     frees of an id that was not live (skipped)
 * @param unknownReallocs  reallocs of an id that was not live (allocated)
 * @param liveAtEnd        blocks the trace left live (freed by the replay at the end)
 * @param verified         whether the checked pass checked block contents (blocks are filled either way)
 * @param problems         the first few problems, described
 * @param workerPeakBytes  the worker process's peak resident memory ({@code VmHWM}: Java heap, JVM and
 *                         replay together), -1 if unknown
 */
public record ReplayResult(String strategy, String kind, String version, String aborted, long events,
                           String warmup, long[] runNanos, long[] loopNanos, Latencies.Summary latency,
                           String residentSource, long baselineResident, long[] sampleEvents, long[] sampleLive,
                           long[] sampleResident, long retainedResident, String ownSource, long[] sampleOwn,
                           long peakLiveBytes, long failures, long corruptBlocks, long contractErrors,
                           long unknownFrees, long unknownReallocs, long liveAtEnd, boolean verified,
                           List<String> problems, long workerPeakBytes) implements Serializable {

    /** {@return this result with {@code bytes} as the worker's peak resident memory} */
    public ReplayResult withWorkerPeak(long bytes) {
        return new ReplayResult(strategy, kind, version, aborted, events, warmup, runNanos, loopNanos, latency,
                residentSource, baselineResident, sampleEvents, sampleLive, sampleResident, retainedResident,
                ownSource, sampleOwn, peakLiveBytes, failures, corruptBlocks, contractErrors, unknownFrees,
                unknownReallocs, liveAtEnd, verified, problems, bytes);
    }

    /** {@return the most resident bytes above the baseline over the samples, -1 if none} */
    public long peakResident() {
        return sampleResident.length == 0 ? -1 : Arrays.stream(sampleResident).max().orElse(-1);
    }

    /** {@return the allocator's own figure at its peak over the samples, -1 if n/a} */
    public long peakOwn() {
        return sampleOwn == null || sampleOwn.length == 0 ? -1 : Arrays.stream(sampleOwn).max().orElse(-1);
    }

    /** {@return peak footprint / peak live bytes, NaN if n/a} */
    public double footprintRatio() {
        long peak = peakResident();
        return peak >= 0 && peakLiveBytes > 0 ? (double) peak / peakLiveBytes : Double.NaN;
    }

    /** {@return the timed runs' statistics} */
    public Spread runs() {
        return Spread.of(runNanos);
    }

    /** {@return the loop-cost runs' statistics} */
    public Spread loop() {
        return Spread.of(loopNanos);
    }

    /**
     * {@return nanoseconds per event of the allocator alone: (median run - median loop cost) / events},
     * NaN if not measured or not above the loop's cost (then the allocator's share is lost in the noise)
     */
    public double netNanosPerEvent() {
        if (runNanos.length == 0 || loopNanos.length == 0 || events <= 0) {
            return Double.NaN;
        }
        double net = runs().median() - loop().median();
        return net > 0 ? net / events : Double.NaN;
    }

    /** {@return whether the replay found no corruption, no contract error and was not aborted} */
    public boolean intact() {
        return aborted == null && corruptBlocks == 0 && contractErrors == 0;
    }

    /**
     * Median and range of repeated measurements.
     *
     * @param median the median (the mean of the two middle values of an even count)
     * @param min    the smallest
     * @param max    the largest
     * @param count  how many
     */
    public record Spread(double median, long min, long max, int count) implements Serializable {
        /** {@return the spread of {@code values}; all zero if there are none} */
        public static Spread of(long[] values) {
            if (values.length == 0) {
                return new Spread(Double.NaN, 0, 0, 0);
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
            return new Spread(median, sorted[0], sorted[n - 1], n);
        }
    }
}
