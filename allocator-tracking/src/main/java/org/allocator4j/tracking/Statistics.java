package org.allocator4j.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters of one tracking allocator, striped per thread so that they never become a contention point.
 *
 * <p>Each thread that allocates or frees owns a {@link #cell() cell}: a {@code long[]} that only it writes
 * (single writer, so no atomic read-modify-write), with opaque stores that readers on other threads see
 * without tearing. A {@link #snapshot()} sums the cells of every thread. A block freed by another thread
 * than the one that allocated it is counted in the freeing thread's cell; only the sums mean anything.
 *
 * <p>Peak live bytes need a global view, which per-thread cells do not give for free. Each cell keeps the
 * bytes it has not yet published; once they reach {@code ±peakQuantum} it adds them to one shared
 * {@link AtomicLong}. On every allocation the thread compares {@code published + its own unpublished bytes}
 * with the peak (plain loads, a CAS only on a new peak). So the peak is exact while one thread allocates
 * and within {@code (threads - 1) * peakQuantum} bytes of the truth otherwise; a quantum of 0 makes it
 * exact at the cost of one shared atomic add per operation. A snapshot never reports a peak below its
 * live bytes.
 *
 * <p>Cells of threads that have died are folded into a base row on the next snapshot or registration.
 */
final class Statistics {
    // Cell layout: one long[] per thread. Indices 0..7 and the last 8 are padding (64 bytes each side) so
    // two threads' counters never share a cache line.
    private static final int PAD = 8;
    static final int ALLOCATIONS = PAD;
    static final int DEALLOCATIONS = PAD + 1;
    static final int REALLOCATIONS = PAD + 2;
    static final int FAILURES = PAD + 3;
    static final int BYTES_ALLOCATED = PAD + 4;
    static final int BYTES_FREED = PAD + 5;
    /** Bytes allocated minus freed by this thread not yet added to {@link #published}. */
    static final int UNPUBLISHED = PAD + 6;
    /** Allocations left before this thread samples the next one's site. */
    static final int UNTIL_SAMPLE = PAD + 7;
    static final int HISTOGRAM = PAD + 8;
    private static final int CELL_LENGTH = HISTOGRAM + Snapshot.BUCKETS + PAD;

    /** Plain array element access; the mode is in each call's name: {@code setOpaque}, {@code getOpaque}. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Direct-mapped by thread id: a thread finds its cell with one load and an owner check. */
    private static final int SLOTS = 128;

    private final Cell[] slots = new Cell[SLOTS];
    private final ThreadLocal<Cell> collided = new ThreadLocal<>();
    private final List<Cell> cells = new ArrayList<>(); // guarded by itself
    private final long[] retired = new long[CELL_LENGTH]; // guarded by cells
    private final long peakQuantum;
    private final int sampleEvery;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    /** A thread's row of counters. Only {@link #owner} writes {@link #row}. */
    static final class Cell {
        final Thread owner;
        final long[] row = new long[CELL_LENGTH];

        Cell(Thread owner, int firstSample) {
            this.owner = owner;
            row[UNTIL_SAMPLE] = firstSample;
        }

        /** Adds {@code delta} to slot {@code i}; called by the owner only (single writer). */
        void add(int i, long delta) {
            // Opaque store: other threads' snapshots read it untorn and eventually; no ordering needed.
            SLOT.setOpaque(row, i, row[i] + delta);
        }

        long getOpaque(int i) {
            // Opaque load: pairs with add's opaque store on the owner thread.
            return (long) SLOT.getOpaque(row, i);
        }
    }

    /**
     * @param peakQuantum bytes a thread may allocate or free before it publishes them for the peak; 0 = exact
     * @param sampleEvery sample one allocation in this many per thread; 0 = never
     */
    Statistics(long peakQuantum, int sampleEvery) {
        this.peakQuantum = peakQuantum;
        this.sampleEvery = sampleEvery;
    }

    /** {@return the calling thread's cell, registering one on its first call} */
    Cell cell() {
        Thread thread = Thread.currentThread();
        Cell cell = slots[(int) thread.threadId() & (SLOTS - 1)];
        if (cell != null && cell.owner == thread) {
            return cell;
        }
        return slowCell(thread);
    }

    private Cell slowCell(Thread thread) {
        Cell cell = collided.get();
        if (cell != null) {
            return cell;
        }
        // First time on this thread: a random first sample spreads sampled sites across threads' phases.
        int first = sampleEvery <= 0 ? Integer.MAX_VALUE
                : 1 + (int) ((thread.threadId() * 0x9E3779B97F4A7C15L >>> 33) % sampleEvery);
        cell = new Cell(thread, first);
        synchronized (cells) {
            foldDeadCells();
            cells.add(cell);
            int index = (int) thread.threadId() & (SLOTS - 1);
            Cell occupant = slots[index];
            if (occupant == null || !occupant.owner.isAlive()) {
                slots[index] = cell; // racy publication is fine: readers check the owner
            } else {
                collided.set(cell);
            }
        }
        return cell;
    }

    /** Called with {@link #cells} locked. */
    private void foldDeadCells() {
        for (int c = cells.size() - 1; c >= 0; c--) {
            Cell cell = cells.get(c);
            // isAlive() == false happens-after every write of the terminated thread (JLS 17.4.4).
            if (!cell.owner.isAlive()) {
                for (int i = ALLOCATIONS; i < HISTOGRAM + Snapshot.BUCKETS; i++) {
                    if (i != UNTIL_SAMPLE) {
                        retired[i] += cell.row[i];
                    }
                }
                cells.set(c, cells.get(cells.size() - 1));
                cells.remove(cells.size() - 1);
            }
        }
    }

    /**
     * Counts one allocation of {@code size} bytes on the owner's cell.
     *
     * @return whether this allocation's site should be sampled
     */
    boolean allocated(Cell cell, long size) {
        cell.add(ALLOCATIONS, 1);
        cell.add(BYTES_ALLOCATED, size);
        cell.add(HISTOGRAM + Snapshot.bucketOf(size), 1);
        grew(cell, size);
        if (sampleEvery <= 0) {
            return false;
        }
        long until = cell.row[UNTIL_SAMPLE] - 1;
        if (until == 0) {
            cell.row[UNTIL_SAMPLE] = sampleEvery;
            return true;
        }
        cell.row[UNTIL_SAMPLE] = until;
        return false;
    }

    /** Counts one deallocation of {@code size} bytes. */
    void deallocated(Cell cell, long size) {
        cell.add(DEALLOCATIONS, 1);
        cell.add(BYTES_FREED, size);
        shrank(cell, size);
    }

    /** Counts one reallocation from {@code oldSize} to {@code newSize} bytes. */
    void reallocated(Cell cell, long oldSize, long newSize) {
        cell.add(REALLOCATIONS, 1);
        cell.add(BYTES_FREED, oldSize);
        cell.add(BYTES_ALLOCATED, newSize);
        if (newSize >= oldSize) {
            grew(cell, newSize - oldSize);
        } else {
            shrank(cell, oldSize - newSize);
        }
    }

    /** Counts one failed request. */
    void failed(Cell cell) {
        cell.add(FAILURES, 1);
    }

    /** Makes the next allocation of this thread sampled (the previous sample could not be recorded). */
    void sampleNext(Cell cell) {
        cell.row[UNTIL_SAMPLE] = 1;
    }

    private void grew(Cell cell, long size) {
        long unpublished = cell.row[UNPUBLISHED] + size;
        if (unpublished >= peakQuantum) {
            published.addAndGet(unpublished);
            unpublished = 0;
        }
        cell.add(UNPUBLISHED, unpublished - cell.row[UNPUBLISHED]);
        long live = published.get() + unpublished;
        if (live > peak.get()) {
            raisePeak(live);
        }
    }

    private void shrank(Cell cell, long size) {
        long unpublished = cell.row[UNPUBLISHED] - size;
        if (unpublished <= -peakQuantum) {
            published.addAndGet(unpublished);
            unpublished = 0;
        }
        cell.add(UNPUBLISHED, unpublished - cell.row[UNPUBLISHED]);
    }

    private void raisePeak(long live) {
        long current = peak.get();
        while (live > current && !peak.compareAndSet(current, live)) {
            current = peak.get();
        }
    }

    /**
     * Sets the peak to the live bytes now and returns the previous peak; {@link #restorePeak} puts back the
     * larger of the two. For {@code measure}: the peak in between is the work's.
     */
    long resetPeak(long live) {
        return peak.getAndSet(live);
    }

    void restorePeak(long previous) {
        raisePeak(previous);
    }

    /** {@return the sums of every thread's counters now} Exact once the counting threads are quiescent. */
    Snapshot snapshot() {
        long[] sum;
        synchronized (cells) {
            foldDeadCells();
            sum = retired.clone();
            for (Cell cell : cells) {
                for (int i = ALLOCATIONS; i < HISTOGRAM + Snapshot.BUCKETS; i++) {
                    sum[i] += cell.getOpaque(i);
                }
            }
        }
        long live = sum[BYTES_ALLOCATED] - sum[BYTES_FREED];
        raisePeak(live);
        long[] histogram = new long[Snapshot.BUCKETS];
        System.arraycopy(sum, HISTOGRAM, histogram, 0, Snapshot.BUCKETS);
        return new Snapshot(sum[ALLOCATIONS], sum[DEALLOCATIONS], sum[REALLOCATIONS], sum[FAILURES],
                sum[BYTES_ALLOCATED], sum[BYTES_FREED], live, Math.max(peak.get(), live), histogram);
    }
}
