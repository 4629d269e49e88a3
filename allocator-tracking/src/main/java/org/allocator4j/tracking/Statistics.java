package org.allocator4j.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one tracking allocator, striped per thread so that they never become a contention point.
 *
 * <p>Each thread that allocates or frees owns a {@link #cell() cell}: a {@code long[]} row that only it
 * writes (single writer, so no atomic read-modify-write and no fence: plain stores). A {@link #snapshot()}
 * sums the rows of every thread with plain loads: exact for the work of threads it happens-after (joined,
 * or handed results through a concurrent structure), eventually up to date for threads still running. (A
 * 64-bit HotSpot JVM never tears an aligned {@code long}.) A block freed by another thread than the one
 * that allocated it is counted in the freeing thread's row; only the sums mean anything.
 *
 * <p>Row layout, one array so that a counter update is one base pointer and a constant offset:
 * <pre>
 * [0..15]   padding (128 bytes, a pair of cache lines: the adjacent-line prefetcher moves lines in pairs,
 *           so 64 bytes measurably did not keep two threads apart)
 * [16]      OWNER          the owning thread's id (ids are never reused), checked by the lookup; other
 *                          threads read it (a hot row's owner check), so it is 128 bytes from the counters
 * [17..31]  padding
 * [32]      DEALLOCATIONS  [33] REALLOCATIONS  [34] FAILURES
 * [35]      BYTES_ALLOCATED  [36] BYTES_FREED
 * [37]      PUBLISHED_BY_ROW  bytes of this row already added to the shared counter; the row's unpublished
 *                         bytes are BYTES_ALLOCATED - BYTES_FREED - PUBLISHED_BY_ROW
 * [38]      UNTIL_SAMPLE   allocations left before the next sampled one
 * [39..103] HISTOGRAM      65 buckets; their sum is the allocation count
 * [104..119] padding (128 bytes)
 * </pre>
 *
 * <p>A thread finds its row first among two hot rows, held in fields (the first two live threads that
 * count here), then in a table direct-mapped by thread id.
 *
 * <p>Peak live bytes need a global view, which per-thread cells do not give for free. Each cell keeps the
 * bytes it has not yet published; once they reach {@code ±peakQuantum} it adds them to one shared
 * counter. On every allocation the thread compares {@code published + its own unpublished bytes}
 * with the peak (plain loads, a CAS only on a new peak). So the peak is exact while one thread allocates
 * and within {@code (threads - 1) * peakQuantum} bytes of the truth otherwise; a quantum of 0 makes it
 * exact at the cost of one shared atomic add per operation. A snapshot never reports a peak below its
 * live bytes.
 *
 * <p>Rows of threads that have died are folded into a base row on the next snapshot or registration.
 */
final class Statistics {
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
    private static final int ROW = HISTOGRAM + Snapshot.BUCKETS + PAD;

    /** Direct-mapped by thread id: a thread finds its row with one load and an owner check. */
    private static final int SLOTS = 128;
    /** The row of no thread: what an unclaimed hot slot holds (no thread has id 0). */
    private static final long[] NOBODY = new long[ROW];

    /**
     * The rows of the first two live threads that count here, tried before {@link #slots}. The row's
     * address then comes from a field of this object, not from the thread id: the id only feeds the owner
     * check, a branch the CPU predicts, so a counter update no longer waits for the id, table index and
     * table load in turn (measured: about 1 ns less per allocate+free pair). Claimed under {@link #rows}'
     * lock; freed again when the owner dies. Racy publication is fine, as for {@link #slots}.
     */
    private long[] hot0 = NOBODY;
    private long[] hot1 = NOBODY;
    private final long[][] slots = new long[SLOTS][];
    private final ThreadLocal<long[]> collided = new ThreadLocal<>();
    /** Every live thread's row, with its thread to tell when it dies. Guarded by itself. */
    private final List<Owned> rows = new ArrayList<>();
    private final long[] retired = new long[ROW]; // guarded by rows
    private final long peakQuantum;
    private final int sampleEvery;
    /** Bytes published by every thread: the shared part of the live bytes. Updated by getAndAdd. */
    private volatile long published;
    /** The peak of live bytes. Raised by CAS; read opaque on the fast path. */
    private volatile long peak;

    private static final VarHandle PUBLISHED;
    private static final VarHandle PEAK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED = lookup.findVarHandle(Statistics.class, "published", long.class);
            PEAK = lookup.findVarHandle(Statistics.class, "peak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Owned(Thread thread, long[] row) {
    }

    /**
     * @param peakQuantum bytes a thread may allocate or free before it publishes them for the peak; 0 = exact
     * @param sampleEvery sample one allocation in this many per thread; 0 = never
     */
    Statistics(long peakQuantum, int sampleEvery) {
        this.peakQuantum = peakQuantum;
        this.sampleEvery = sampleEvery;
    }

    /** {@return the calling thread's row, registering one on its first call} */
    long[] cell() {
        long id = Thread.currentThread().threadId();
        long[] row = hot0;
        if (row[OWNER] == id) {
            return row;
        }
        row = hot1;
        if (row[OWNER] == id) {
            return row;
        }
        row = slots[(int) id & (SLOTS - 1)];
        if (row != null && row[OWNER] == id) {
            return row;
        }
        return slowCell();
    }

    private long[] slowCell() {
        long[] row = collided.get();
        if (row != null) {
            return row;
        }
        Thread thread = Thread.currentThread();
        long id = thread.threadId();
        row = new long[ROW];
        row[OWNER] = id;
        // First time on this thread: a hashed first sample spreads sampled sites across threads' phases.
        row[UNTIL_SAMPLE] = sampleEvery <= 0 ? Long.MAX_VALUE
                : 1 + (int) ((id * 0x9E3779B97F4A7C15L >>> 33) % sampleEvery);
        synchronized (rows) {
            foldDeadRows();
            rows.add(new Owned(thread, row));
            if (hot0 == NOBODY) {
                hot0 = row;
                return row;
            }
            if (hot1 == NOBODY) {
                hot1 = row;
                return row;
            }
            int index = (int) id & (SLOTS - 1);
            long[] occupant = slots[index];
            boolean free = occupant == null || rows.stream().noneMatch(o -> o.row() == occupant);
            if (free) {
                // Racy publication is fine: a reader that sees the array sees a length and, at worst, an
                // OWNER of 0 (no thread has id 0), and falls back to this slow path.
                slots[index] = row;
            } else {
                collided.set(row);
            }
        }
        return row;
    }

    /** Called with {@link #rows} locked. */
    private void foldDeadRows() {
        for (int r = rows.size() - 1; r >= 0; r--) {
            Owned owned = rows.get(r);
            // isAlive() == false happens-after every write of the terminated thread (JLS 17.4.4).
            if (!owned.thread().isAlive()) {
                addTo(owned.row(), retired);
                if (hot0 == owned.row()) {
                    hot0 = NOBODY;
                } else if (hot1 == owned.row()) {
                    hot1 = NOBODY;
                }
                rows.set(r, rows.get(rows.size() - 1));
                rows.remove(rows.size() - 1);
            }
        }
    }

    private static void addTo(long[] row, long[] sum) {
        for (int i = DEALLOCATIONS; i <= BYTES_FREED; i++) {
            sum[i] += row[i];
        }
        for (int i = HISTOGRAM; i < HISTOGRAM + Snapshot.BUCKETS; i++) {
            sum[i] += row[i];
        }
    }

    /**
     * Counts one allocation of {@code size} bytes on the owner's row.
     *
     * @return whether this allocation's site should be sampled
     */
    boolean allocated(long[] row, long size) {
        row[BYTES_ALLOCATED] += size;
        row[HISTOGRAM + Snapshot.bucketOf(size)]++; // allocations are the histogram's sum
        grew(row, size);
        return sampleEvery > 0 && --row[UNTIL_SAMPLE] == 0 && resample(row);
    }

    private boolean resample(long[] row) {
        row[UNTIL_SAMPLE] = sampleEvery;
        return true;
    }

    /** Counts one deallocation of {@code size} bytes. */
    void deallocated(long[] row, long size) {
        row[DEALLOCATIONS]++;
        row[BYTES_FREED] += size;
        shrank(row, size);
    }

    /** Counts one reallocation from {@code oldSize} to {@code newSize} bytes. */
    void reallocated(long[] row, long oldSize, long newSize) {
        row[REALLOCATIONS]++;
        row[BYTES_FREED] += oldSize;
        row[BYTES_ALLOCATED] += newSize;
        if (newSize >= oldSize) {
            grew(row, newSize - oldSize);
        } else {
            shrank(row, oldSize - newSize);
        }
    }

    /** Counts one failed request. */
    void failed(long[] row) {
        row[FAILURES]++;
    }

    /** Makes the next allocation of this thread sampled (the previous sample could not be recorded). */
    void sampleNext(long[] row) {
        row[UNTIL_SAMPLE] = 1;
    }

    private void grew(long[] row, long size) {
        // This row's live bytes not yet published: derived, so the fast path stores nothing for it.
        long unpublished = row[BYTES_ALLOCATED] - row[BYTES_FREED] - row[PUBLISHED_BY_ROW];
        if (unpublished >= peakQuantum) {
            PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's bytes
            row[PUBLISHED_BY_ROW] += unpublished;
            unpublished = 0;
        }
        // Opaque loads: no fence; lines that change only every peakQuantum bytes or on a new peak.
        long live = (long) PUBLISHED.getOpaque(this) + unpublished;
        if (live > (long) PEAK.getOpaque(this)) {
            raisePeak(live);
        }
    }

    private void shrank(long[] row, long size) {
        long unpublished = row[BYTES_ALLOCATED] - row[BYTES_FREED] - row[PUBLISHED_BY_ROW];
        if (unpublished <= -peakQuantum) {
            PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's (negative) bytes
            row[PUBLISHED_BY_ROW] += unpublished;
        }
    }

    private void raisePeak(long live) {
        long current = peak;
        while (live > current) {
            long witness = (long) PEAK.compareAndExchange(this, current, live);
            if (witness == current) {
                return;
            }
            current = witness;
        }
    }

    /**
     * Sets the peak to the live bytes now and returns the previous peak; {@link #restorePeak} puts back the
     * larger of the two. For {@code measure}: the peak in between is the work's.
     */
    long resetPeak(long live) {
        return (long) PEAK.getAndSet(this, live);
    }

    void restorePeak(long previous) {
        raisePeak(previous);
    }

    /** {@return the sums of every thread's counters now} Exact once the counting threads are quiescent. */
    Snapshot snapshot() {
        long[] sum = new long[ROW];
        synchronized (rows) {
            foldDeadRows();
            addTo(retired, sum);
            for (Owned owned : rows) {
                addTo(owned.row(), sum);
            }
        }
        long live = sum[BYTES_ALLOCATED] - sum[BYTES_FREED];
        raisePeak(live);
        long[] histogram = new long[Snapshot.BUCKETS];
        System.arraycopy(sum, HISTOGRAM, histogram, 0, Snapshot.BUCKETS);
        long allocations = 0;
        for (long count : histogram) {
            allocations += count;
        }
        return new Snapshot(allocations, sum[DEALLOCATIONS], sum[REALLOCATIONS], sum[FAILURES],
                sum[BYTES_ALLOCATED], sum[BYTES_FREED], live, Math.max(peak, live), histogram);
    }
}
