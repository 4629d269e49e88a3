package org.allocator4j.tracking;

import java.lang.invoke.VarHandle;

/**
 * The {@linkplain CounterRow#shared() shared rows} of one {@link Statistics}, which virtual threads add
 * into: twice the processors of them, rounded up to a power of two, so that a thread id picks its row
 * with a mask. Every update is an atomic add ({@code getAndAdd} on {@link CounterRow#ELEMENT}), so no
 * count is lost however many threads share a row; none publishes anything but the count itself.
 *
 * <p>Why twice the processors: no more virtual threads run at once than there are carriers (the
 * processors, by default), so with twice as many rows two running threads meet on one about as rarely as
 * in the JDK's pooled confined arenas, which give virtual threads the same number of shared slots.
 */
final class SharedRows {
    private static final VarHandle ELEMENT = CounterRow.ELEMENT;

    private final Statistics stats;
    private final long[][] rows;
    private final long peakQuantum;
    private final int sampleEvery;

    SharedRows(Statistics stats, long peakQuantum, int sampleEvery) {
        this.stats = stats;
        this.peakQuantum = peakQuantum;
        this.sampleEvery = sampleEvery;
        int count = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
        this.rows = new long[count][];
        for (int i = 0; i < count; i++) {
            long[] row = CounterRow.shared();
            row[CounterRow.UNTIL_SAMPLE] = stats.firstSample(i);
            rows[i] = row;
        }
    }

    /** {@return the row of the thread of id {@code threadId}} */
    long[] of(long threadId) {
        // Fibonacci hashing: consecutive ids (virtual threads started in a row) land on different rows.
        return rows[(int) ((threadId * 0x9E3779B97F4A7C15L) >>> 40) & (rows.length - 1)];
    }

    int count() {
        return rows.length;
    }

    /** Adds every row's counters (plain loads: a 64-bit JVM never tears an aligned long) into {@code sum}. */
    void addTo(long[] sum) {
        for (long[] row : rows) {
            CounterRow.addTo(row, sum);
        }
    }

    /** As {@link Statistics#allocated}. */
    boolean allocated(long[] row, long size) {
        ELEMENT.getAndAdd(row, CounterRow.BYTES_ALLOCATED, size);
        ELEMENT.getAndAdd(row, CounterRow.HISTOGRAM + Snapshot.bucketOf(size), 1L);
        grew(row, size);
        if (sampleEvery <= 0) {
            return false;
        }
        // The adder that takes the count from 1 to 0 samples and restarts it; others that ran it below 0
        // meanwhile are overwritten: about one in sampleEvery allocations of the row is sampled.
        if ((long) ELEMENT.getAndAdd(row, CounterRow.UNTIL_SAMPLE, -1L) == 1) {
            ELEMENT.setOpaque(row, CounterRow.UNTIL_SAMPLE, (long) sampleEvery);
            return true;
        }
        return false;
    }

    /** As {@link Statistics#deallocated}. */
    void deallocated(long[] row, long size) {
        ELEMENT.getAndAdd(row, CounterRow.DEALLOCATIONS, 1L);
        ELEMENT.getAndAdd(row, CounterRow.BYTES_FREED, size);
        shrank(row, size);
    }

    /** As {@link Statistics#reallocated}. */
    void reallocated(long[] row, long oldSize, long newSize) {
        ELEMENT.getAndAdd(row, CounterRow.REALLOCATIONS, 1L);
        ELEMENT.getAndAdd(row, CounterRow.BYTES_FREED, oldSize);
        ELEMENT.getAndAdd(row, CounterRow.BYTES_ALLOCATED, newSize);
        if (newSize >= oldSize) {
            grew(row, newSize - oldSize);
        } else {
            shrank(row, oldSize - newSize);
        }
    }

    /** As {@link Statistics#failed}. */
    void failed(long[] row) {
        ELEMENT.getAndAdd(row, CounterRow.FAILURES, 1L);
    }

    /** As {@link Statistics#sampleNext}. */
    void sampleNext(long[] row) {
        ELEMENT.setOpaque(row, CounterRow.UNTIL_SAMPLE, 1L); // a hint to the row's next allocator, no order needed
    }

    /**
     * A row's unpublished bytes are one counter ({@code PUBLISHED_BY_ROW}) moved by atomic adds; the adder
     * that sees it reach the quantum moves it, by CAS, to the shared counter.
     */
    private void grew(long[] row, long size) {
        long unpublished;
        if (peakQuantum == 0) {
            // Exact: straight to the shared counter, as an owned row does with a quantum of 0.
            stats.publish(size);
            unpublished = 0;
        } else {
            unpublished = (long) ELEMENT.getAndAdd(row, CounterRow.PUBLISHED_BY_ROW, size) + size;
            if (unpublished >= peakQuantum
                    && ELEMENT.compareAndSet(row, CounterRow.PUBLISHED_BY_ROW, unpublished, 0L)) {
                stats.publish(unpublished);
                unpublished = 0;
            }
        }
        stats.observe(unpublished);
    }

    private void shrank(long[] row, long size) {
        if (peakQuantum == 0) {
            stats.publish(-size);
            return;
        }
        long unpublished = (long) ELEMENT.getAndAdd(row, CounterRow.PUBLISHED_BY_ROW, -size) - size;
        if (unpublished <= -peakQuantum
                && ELEMENT.compareAndSet(row, CounterRow.PUBLISHED_BY_ROW, unpublished, 0L)) {
            stats.publish(unpublished);
        }
    }
}
