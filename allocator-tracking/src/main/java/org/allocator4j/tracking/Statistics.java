package org.allocator4j.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one tracking allocator, striped so that they never become a contention point, in
 * memory that grows with the threads running now, never with the threads ever started.
 *
 * <p>Each platform thread that allocates or frees owns a {@link #cell() cell}: a {@link CounterRow} that
 * only it writes (single writer, so no atomic read-modify-write and no fence: plain stores). Virtual
 * threads, which may number millions and live for one request, own nothing: each adds into one of a
 * fixed set of {@linkplain CounterRow#shared() shared rows} picked by its thread id, with atomic adds
 * ({@code getAndAdd}). There are {@link #stripes()} of them, the processors times two rounded up to a
 * power of two (as the JDK's pooled confined arenas give virtual threads twice the processors in shared
 * slots): at most as many virtual threads as there are carriers run at once, so two of them meet on a
 * row about as often as two carriers do. A virtual thread's first call registers nothing, takes no lock
 * and allocates nothing; its death leaves nothing to reclaim.
 *
 * <p>A {@link #snapshot()} sums every row with plain loads: exact for the work of threads it
 * happens-after (joined, or handed results through a concurrent structure), eventually up to date for
 * threads still running; every count is exact, however many threads share a row. (A 64-bit HotSpot JVM
 * never tears an aligned {@code long}.) A block freed by another thread than the one that allocated it is
 * counted in the freeing thread's row; only the sums mean anything.
 *
 * <p>A platform thread finds its row first among two hot rows, held in fields (the first two live
 * platform threads that count here), then in a table direct-mapped by thread id, then in a thread local.
 * Its first call registers the row under a lock (once per platform thread, whose start costs far more);
 * rows of platform threads that have died are folded into a base row on the next snapshot or
 * registration.
 *
 * <p>Peak live bytes need a global view, which striped rows do not give for free. Each row keeps the
 * bytes it has not yet published; once they reach {@code ±peakQuantum} it adds them to one shared
 * counter. On every allocation the thread compares {@code published + its row's unpublished bytes} with
 * the peak (plain loads, a CAS only on a new peak). So the peak is exact while one thread allocates, and
 * otherwise never more than {@code (rows - 1) * peakQuantum} bytes below the truth, {@code rows} being
 * the live platform threads' rows plus the shared rows in use: a bound that grows with the threads
 * running, not with those started. A quantum of 0 makes it exact at the cost of one shared atomic add per
 * operation. A snapshot never reports a peak below its live bytes.
 */
final class Statistics {
    private static final int OWNER = CounterRow.OWNER;
    private static final int DEALLOCATIONS = CounterRow.DEALLOCATIONS;
    private static final int REALLOCATIONS = CounterRow.REALLOCATIONS;
    private static final int FAILURES = CounterRow.FAILURES;
    private static final int BYTES_ALLOCATED = CounterRow.BYTES_ALLOCATED;
    private static final int BYTES_FREED = CounterRow.BYTES_FREED;
    private static final int PUBLISHED_BY_ROW = CounterRow.PUBLISHED_BY_ROW;
    private static final int UNTIL_SAMPLE = CounterRow.UNTIL_SAMPLE;
    private static final int HISTOGRAM = CounterRow.HISTOGRAM;

    /** Direct-mapped by thread id: a platform thread finds its row with one load and an owner check. */
    private static final int SLOTS = 128;
    /** The row of no thread: what an unclaimed hot slot holds (no thread has id 0). */
    private static final long[] NOBODY = CounterRow.owned(0);

    /**
     * The rows of the first two live platform threads that count here, tried before {@link #slots}. The
     * row's address then comes from a field of this object, not from the thread id: the id only feeds the
     * owner check, a branch the CPU predicts, so a counter update no longer waits for the id, table index
     * and table load in turn (measured: about 1 ns less per allocate+free pair). Claimed under
     * {@link #rows}' lock; freed again when the owner dies. Racy publication is fine, as for {@link #slots}.
     */
    private long[] hot0 = NOBODY;
    private long[] hot1 = NOBODY;
    private final long[][] slots = new long[SLOTS][];
    private final ThreadLocal<long[]> collided = new ThreadLocal<>();
    /** Every live platform thread's row, with its thread to tell when it dies. Guarded by itself. */
    private final List<Owned> rows = new ArrayList<>();
    private final long[] retired = new long[CounterRow.OWNED_LENGTH]; // guarded by rows
    /** The rows virtual threads add into; final, so safely published. */
    private final SharedRows shared;
    private final long peakQuantum;
    private final int sampleEvery;
    /** Bytes published by every row: the shared part of the live bytes. Updated by getAndAdd. */
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
     * @param peakQuantum bytes a row may allocate or free before it publishes them for the peak; 0 = exact
     * @param sampleEvery sample one allocation in this many per row; 0 = never
     */
    Statistics(long peakQuantum, int sampleEvery) {
        this.peakQuantum = peakQuantum;
        this.sampleEvery = sampleEvery;
        this.shared = new SharedRows(this, peakQuantum, sampleEvery);
    }

    /** {@return how many shared rows virtual threads add into} */
    int stripes() {
        return shared.count();
    }

    /** {@return how many platform threads' rows are registered now (live ones, and dead ones not yet folded)} */
    int ownedRows() {
        synchronized (rows) {
            return rows.size();
        }
    }

    /** {@return the calling thread's row: its own for a platform thread (registered on its first call), else a shared one} */
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
        Thread thread = Thread.currentThread();
        long id = thread.threadId();
        if (thread.isVirtual()) {
            // Before the thread local: a virtual thread's first get() would give it a map of its own.
            return shared.of(id);
        }
        long[] row = collided.get();
        if (row != null) {
            return row;
        }
        row = CounterRow.owned(id);
        row[UNTIL_SAMPLE] = firstSample(id);
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

    /** A hashed first sample spreads sampled sites across rows' phases. */
    long firstSample(long seed) {
        return sampleEvery <= 0 ? Long.MAX_VALUE : 1 + (int) ((seed * 0x9E3779B97F4A7C15L >>> 33) % sampleEvery);
    }

    /** Called with {@link #rows} locked. */
    private void foldDeadRows() {
        for (int r = rows.size() - 1; r >= 0; r--) {
            Owned owned = rows.get(r);
            // isAlive() == false happens-after every write of the terminated thread (JLS 17.4.4).
            if (!owned.thread().isAlive()) {
                CounterRow.addTo(owned.row(), retired);
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

    /**
     * Counts one allocation of {@code size} bytes on the owner's row.
     *
     * @return whether this allocation's site should be sampled
     */
    boolean allocated(long[] row, long size) {
        if (CounterRow.isShared(row)) {
            return shared.allocated(row, size);
        }
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
        if (CounterRow.isShared(row)) {
            shared.deallocated(row, size);
            return;
        }
        row[DEALLOCATIONS]++;
        row[BYTES_FREED] += size;
        shrank(row, size);
    }

    /** Counts one reallocation from {@code oldSize} to {@code newSize} bytes. */
    void reallocated(long[] row, long oldSize, long newSize) {
        if (CounterRow.isShared(row)) {
            shared.reallocated(row, oldSize, newSize);
            return;
        }
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
        if (CounterRow.isShared(row)) {
            shared.failed(row);
            return;
        }
        row[FAILURES]++;
    }

    /** Makes the next allocation on this row sampled (the previous sample could not be recorded). */
    void sampleNext(long[] row) {
        if (CounterRow.isShared(row)) {
            shared.sampleNext(row);
            return;
        }
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
        observe(unpublished);
    }

    private void shrank(long[] row, long size) {
        long unpublished = row[BYTES_ALLOCATED] - row[BYTES_FREED] - row[PUBLISHED_BY_ROW];
        if (unpublished <= -peakQuantum) {
            PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's (negative) bytes
            row[PUBLISHED_BY_ROW] += unpublished;
        }
    }

    /** Adds {@code bytes} (negative for frees) of a row to the shared counter. */
    void publish(long bytes) {
        PUBLISHED.getAndAdd(this, bytes); // publishes the row's bytes to every thread's peak check
    }

    /** Raises the peak if the published bytes and a row's {@code unpublished} bytes pass it. */
    void observe(long unpublished) {
        // Opaque loads: no fence; lines that change only every peakQuantum bytes or on a new peak.
        long live = (long) PUBLISHED.getOpaque(this) + unpublished;
        if (live > (long) PEAK.getOpaque(this)) {
            raisePeak(live);
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
        long[] sum = new long[CounterRow.OWNED_LENGTH];
        shared.addTo(sum);
        synchronized (rows) {
            foldDeadRows();
            CounterRow.addTo(retired, sum);
            for (Owned owned : rows) {
                CounterRow.addTo(owned.row(), sum);
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
