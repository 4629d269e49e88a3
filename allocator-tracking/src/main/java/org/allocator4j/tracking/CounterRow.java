package org.allocator4j.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The layout of one row of {@link Statistics}' counters: a {@code long[]}, so that a counter update is one
 * base pointer and a constant offset.
 *
 * <pre>
 * [0..15]   padding (128 bytes, a pair of cache lines: the adjacent-line prefetcher moves lines in pairs,
 *           so 64 bytes measurably did not keep two threads apart)
 * [16]      OWNER          the owning thread's id (ids are never reused), checked by the lookup; other
 *                          threads read it (a hot row's owner check), so it is 128 bytes from the counters.
 *                          {@link #SHARED_OWNER} on a shared row
 * [17..31]  padding
 * [32]      DEALLOCATIONS  [33] REALLOCATIONS  [34] FAILURES
 * [35]      BYTES_ALLOCATED  [36] BYTES_FREED
 * [37]      PUBLISHED_BY_ROW  an owned row: bytes of it already added to the shared counter (its unpublished
 *                         bytes are BYTES_ALLOCATED - BYTES_FREED - PUBLISHED_BY_ROW); a shared row: its
 *                         unpublished bytes themselves (the three others are not read together atomically)
 * [38]      UNTIL_SAMPLE   allocations left before the next sampled one
 * [39..103] HISTOGRAM      65 buckets; their sum is the allocation count
 * [104..119] padding (128 bytes)
 * [120]     (a shared row only) one more element: the length tells a shared row from an owned one
 * </pre>
 *
 * <p>Two kinds of row: an <em>owned</em> row ({@link #owned}) is written by its one thread with plain
 * stores; a <em>shared</em> row ({@link #shared}) is written by any number of (virtual) threads at once
 * with atomic adds ({@link #ELEMENT}{@code .getAndAdd}). A shared row is one element longer, so the fast
 * path tells the two apart by the array's length, which the range check of the first counter access loads
 * anyway (and, once the length is known to be {@link #OWNED_LENGTH}, the JIT drops the later checks).
 */
final class CounterRow {
    /** 128 bytes: a pair of cache lines, the unit the adjacent-line prefetcher moves. */
    private static final int PAD = 16;
    static final int OWNER = PAD;
    /** The counters start a line pair after the owner: other threads read the owner, only the owner these. */
    private static final int COUNTERS = OWNER + PAD;
    static final int DEALLOCATIONS = COUNTERS;
    static final int REALLOCATIONS = COUNTERS + 1;
    static final int FAILURES = COUNTERS + 2;
    static final int BYTES_ALLOCATED = COUNTERS + 3;
    static final int BYTES_FREED = COUNTERS + 4;
    static final int PUBLISHED_BY_ROW = COUNTERS + 5;
    static final int UNTIL_SAMPLE = COUNTERS + 6;
    static final int HISTOGRAM = COUNTERS + 7;
    /** The length of an owned row. */
    static final int OWNED_LENGTH = HISTOGRAM + Snapshot.BUCKETS + PAD;
    /** The owner of a shared row: no thread (thread ids are positive). */
    static final long SHARED_OWNER = -1;

    /** Atomic access to a shared row's elements; each call site says what it publishes. */
    static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);

    private CounterRow() {
    }

    /** {@return a new row owned by the thread of id {@code owner}} */
    static long[] owned(long owner) {
        long[] row = new long[OWNED_LENGTH];
        row[OWNER] = owner;
        return row;
    }

    /** {@return a new shared row} */
    static long[] shared() {
        long[] row = new long[OWNED_LENGTH + 1];
        row[OWNER] = SHARED_OWNER;
        return row;
    }

    /** {@return whether {@code row} is shared, and so written with atomic adds only} */
    static boolean isShared(long[] row) {
        return row.length != OWNED_LENGTH;
    }

    /** Adds the counters of {@code row} (read plain) into {@code sum}. */
    static void addTo(long[] row, long[] sum) {
        for (int i = DEALLOCATIONS; i <= BYTES_FREED; i++) {
            sum[i] += row[i];
        }
        for (int i = HISTOGRAM; i < HISTOGRAM + Snapshot.BUCKETS; i++) {
            sum[i] += row[i];
        }
    }
}
