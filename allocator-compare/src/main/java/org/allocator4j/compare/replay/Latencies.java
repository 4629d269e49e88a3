package org.allocator4j.compare.replay;

import java.io.Serializable;

import org.HdrHistogram.Histogram;

/**
 * Per-operation latencies of one replay, one HdrHistogram per event kind: what the latency pass records,
 * {@code System.nanoTime()} read before and after each allocator call. Recording allocates nothing (the
 * histograms are sized when created, to values up to a minute at 3 significant digits). Not thread-safe.
 */
public final class Latencies {
    /** The largest latency recorded as itself; longer calls are recorded as this. */
    private static final long HIGHEST = 60_000_000_000L;

    private final Histogram alloc = new Histogram(HIGHEST, 3);
    private final Histogram free = new Histogram(HIGHEST, 3);
    private final Histogram realloc = new Histogram(HIGHEST, 3);

    /** Creates empty histograms. */
    Latencies() {
    }

    /** Records an allocation of {@code nanos}. */
    void alloc(long nanos) {
        alloc.recordValue(clamp(nanos));
    }

    /** Records a free of {@code nanos}. */
    void free(long nanos) {
        free.recordValue(clamp(nanos));
    }

    /** Records a reallocation of {@code nanos}. */
    void realloc(long nanos) {
        realloc.recordValue(clamp(nanos));
    }

    /** Forgets every recorded value. */
    void reset() {
        alloc.reset();
        free.reset();
        realloc.reset();
    }

    /** {@return the percentiles of each kind, for the result} */
    Summary summary(long timerNanos) {
        return new Summary(Percentiles.of(alloc), Percentiles.of(free), Percentiles.of(realloc), timerNanos);
    }

    private static long clamp(long nanos) {
        return Math.min(HIGHEST, Math.max(0, nanos));
    }

    /**
     * The latency percentiles of one event kind, in nanoseconds, each including one
     * {@code System.nanoTime()} call (see {@link Summary#timerNanos()}).
     *
     * @param count calls recorded
     * @param p50   median
     * @param p99   99th percentile
     * @param p999  99.9th percentile
     * @param max   the longest call
     */
    public record Percentiles(long count, long p50, long p99, long p999, long max) implements Serializable {
        static Percentiles of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Percentiles(0, 0, 0, 0, 0);
            }
            return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }

    /**
     * The latencies of a replay.
     *
     * @param alloc      of allocations
     * @param free       of frees
     * @param realloc    of reallocations
     * @param timerNanos the median of two back-to-back {@code System.nanoTime()} calls: what every recorded
     *                   latency includes besides the call (not subtracted)
     */
    public record Summary(Percentiles alloc, Percentiles free, Percentiles realloc, long timerNanos)
            implements Serializable {
    }
}
