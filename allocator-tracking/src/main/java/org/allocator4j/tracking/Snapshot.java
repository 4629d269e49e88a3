package org.allocator4j.tracking;

import java.util.Arrays;

/**
 * The statistics of a tracking allocator at one moment, or the difference of two moments
 * ({@link #minus(Snapshot)}, {@link TrackingAllocator#measure(Runnable)}).
 *
 * <p>Counts: {@code allocations} are successful {@code allocate}/{@code allocateZeroed} calls (zero-size
 * ones included), {@code deallocations} are {@code deallocate} calls, {@code reallocations} are successful
 * {@code reallocate} calls, {@code failures} are requests that threw {@code AllocationException}. A
 * reallocation frees its old size and allocates its new size in the byte counts but keeps the block count.
 *
 * <p>The histogram has {@value #BUCKETS} power-of-two buckets of allocation sizes: bucket 0 counts
 * zero-size requests, bucket {@code b >= 1} counts sizes in {@code (2^(b-2), 2^(b-1)]}, so bucket 1 is
 * size 1, bucket 2 size 2, bucket 3 sizes 3..4, bucket 11 sizes 513..1024. Its counts sum to
 * {@code allocations}.
 *
 * @param allocations    successful allocations
 * @param deallocations  deallocations
 * @param reallocations  successful reallocations
 * @param failures       failed requests
 * @param bytesAllocated bytes allocated in total (reallocations count their new size)
 * @param bytesFreed     bytes freed in total (reallocations count their old size)
 * @param liveBytes      {@code bytesAllocated - bytesFreed}
 * @param peakLiveBytes  the highest {@code liveBytes} seen (see {@link Tracking.Builder#peakQuantum(long)}
 *                       for its accuracy under concurrency); in a difference, the peak of the measured work
 *                       above the live bytes at its start
 * @param histogram      allocations per size bucket, {@value #BUCKETS} entries
 */
public record Snapshot(long allocations, long deallocations, long reallocations, long failures,
                       long bytesAllocated, long bytesFreed, long liveBytes, long peakLiveBytes,
                       long[] histogram) {

    /** The number of histogram buckets: size 0, then one per power of two up to {@code 2^63}. */
    public static final int BUCKETS = 65;

    /**
     * Copies the histogram.
     *
     * @throws IllegalArgumentException if {@code histogram.length != BUCKETS}
     */
    public Snapshot {
        if (histogram.length != BUCKETS) {
            throw new IllegalArgumentException("histogram.length=" + histogram.length + "; expected " + BUCKETS);
        }
        histogram = histogram.clone();
    }

    /** {@return a copy of the histogram: allocations per size bucket} */
    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    /** {@return the number of blocks live: {@code allocations - deallocations}} */
    public long liveBlocks() {
        return allocations - deallocations;
    }

    /**
     * {@return the histogram bucket of an allocation of {@code size} bytes}
     *
     * @param size a size {@code >= 0}
     */
    public static int bucketOf(long size) {
        // size 0 -> 0; otherwise ceil(log2(size)) + 1: 1 -> 1, 2 -> 2, 3..4 -> 3, 5..8 -> 4.
        return size == 0 ? 0 : 65 - Long.numberOfLeadingZeros(size - 1);
    }

    /**
     * {@return the largest size that falls in {@code bucket}: 0 for bucket 0, else {@code 2^(bucket-1)}
     * ({@link Long#MAX_VALUE} for the last bucket)}
     *
     * @param bucket a bucket index in {@code [0, BUCKETS)}
     * @throws IllegalArgumentException if {@code bucket} is out of range
     */
    public static long bucketUpperBound(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("bucket=" + bucket + "; expected 0 <= bucket < " + BUCKETS);
        }
        return bucket == 0 ? 0 : bucket == BUCKETS - 1 ? Long.MAX_VALUE : 1L << (bucket - 1);
    }

    /**
     * {@return what happened between {@code earlier} and this snapshot} Counts, bytes, live bytes and the
     * histogram are differences; {@code peakLiveBytes} is this snapshot's peak minus {@code earlier}'s live
     * bytes (not below 0), which is the peak of the work in between when the peak was reset at its start,
     * as {@link TrackingAllocator#measure(Runnable)} does.
     *
     * @param earlier a snapshot of the same allocator taken before this one
     */
    public Snapshot minus(Snapshot earlier) {
        long[] buckets = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = histogram[i] - earlier.histogram[i];
        }
        return new Snapshot(allocations - earlier.allocations, deallocations - earlier.deallocations,
                reallocations - earlier.reallocations, failures - earlier.failures,
                bytesAllocated - earlier.bytesAllocated, bytesFreed - earlier.bytesFreed,
                liveBytes - earlier.liveBytes, Math.max(0, peakLiveBytes - earlier.liveBytes), buckets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && allocations == s.allocations && deallocations == s.deallocations
                && reallocations == s.reallocations && failures == s.failures
                && bytesAllocated == s.bytesAllocated && bytesFreed == s.bytesFreed
                && liveBytes == s.liveBytes && peakLiveBytes == s.peakLiveBytes
                && Arrays.equals(histogram, s.histogram);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(allocations) * 31 + Long.hashCode(bytesAllocated) * 17 + Arrays.hashCode(histogram);
    }

    @Override
    public String toString() {
        StringBuilder buckets = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (histogram[i] != 0) {
                buckets.append(buckets.isEmpty() ? "" : ", ").append("<=").append(bucketUpperBound(i))
                        .append(':').append(histogram[i]);
            }
        }
        return "Snapshot[allocations=" + allocations + ", deallocations=" + deallocations
                + ", reallocations=" + reallocations + ", failures=" + failures
                + ", bytesAllocated=" + bytesAllocated + ", bytesFreed=" + bytesFreed
                + ", liveBytes=" + liveBytes + ", peakLiveBytes=" + peakLiveBytes
                + ", histogram={" + buckets + "}]";
    }
}
