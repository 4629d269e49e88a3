package org.allocator4j.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters of one tracking allocator, striped per thread so that they never become a contention point.
 *
 * <p>Each thread that allocates or frees owns a {@link #cell() cell} that only it writes (single writer,
 * so no atomic read-modify-write, no fence: plain stores). A {@link #snapshot()} sums the cells of every
 * thread with plain loads: exact for the work of threads it happens-after (joined, or handed results
 * through a concurrent structure), eventually up to date for threads still running. (A 64-bit HotSpot JVM
 * never tears an aligned {@code long}.) A block freed by another thread
 * than the one that allocated it is counted in the freeing thread's cell; only the sums mean anything.
 *
 * <p>Peak live bytes need a global view, which per-thread cells do not give for free. Each cell keeps the
 * bytes it has not yet published; once they reach {@code ±peakQuantum} it adds them to one shared
 * counter. On every allocation the thread compares {@code published + its own unpublished bytes}
 * with the peak (plain loads, a CAS only on a new peak). So the peak is exact while one thread allocates
 * and within {@code (threads - 1) * peakQuantum} bytes of the truth otherwise; a quantum of 0 makes it
 * exact at the cost of one shared atomic add per operation. A snapshot never reports a peak below its
 * live bytes.
 *
 * <p>Cells of threads that have died are folded into a base row on the next snapshot or registration.
 */
final class Statistics {
    /** Direct-mapped by thread id: a thread finds its cell with one load and an owner check. */
    private static final int SLOTS = 128;

    private final Cell[] slots = new Cell[SLOTS];
    private final ThreadLocal<Cell> collided = new ThreadLocal<>();
    private final List<Cell> cells = new ArrayList<>(); // guarded by itself
    private final Cell retired = new Cell(null, 0);     // guarded by cells
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

    /**
     * A thread's counters. Only {@link #owner} writes them, with plain stores. The {@code p..} fields pad
     * 64 bytes on each side (HotSpot keeps fields of one size in declaration order) so that two threads'
     * counters do not share a cache line.
     */
    @SuppressWarnings("unused")
    static final class Cell {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        final Thread owner;
        final long[] histogram = new long[Snapshot.BUCKETS];
        long deallocations;
        long reallocations;
        long failures;
        long bytesAllocated;
        long bytesFreed;
        /** Bytes allocated minus freed by this thread not yet added to {@link #published}. */
        long unpublished;
        /** Allocations left before this thread samples the next one's site. */
        long untilSample;
        long p10, p11, p12, p13, p14, p15, p16, p17;

        Cell(Thread owner, int firstSample) {
            this.owner = owner;
            this.untilSample = firstSample;
        }

        void addTo(Cell sum) {
            sum.deallocations += deallocations;
            sum.reallocations += reallocations;
            sum.failures += failures;
            sum.bytesAllocated += bytesAllocated;
            sum.bytesFreed += bytesFreed;
            for (int i = 0; i < Snapshot.BUCKETS; i++) {
                sum.histogram[i] += histogram[i];
            }
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
        // First time on this thread: a hashed first sample spreads sampled sites across threads' phases.
        int first = sampleEvery <= 0 ? Integer.MAX_VALUE
                : 1 + (int) ((thread.threadId() * 0x9E3779B97F4A7C15L >>> 33) % sampleEvery);
        cell = new Cell(thread, first);
        synchronized (cells) {
            foldDeadCells();
            cells.add(cell);
            int index = (int) thread.threadId() & (SLOTS - 1);
            Cell occupant = slots[index];
            if (occupant == null || !occupant.owner.isAlive()) {
                slots[index] = cell; // racy publication is fine: owner is final, and readers check it
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
                cell.addTo(retired);
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
        cell.bytesAllocated += size; // allocations are the histogram's sum
        cell.histogram[Snapshot.bucketOf(size)]++;
        grew(cell, size);
        return sampleEvery > 0 && --cell.untilSample == 0 && resample(cell);
    }

    private boolean resample(Cell cell) {
        cell.untilSample = sampleEvery;
        return true;
    }

    /** Counts one deallocation of {@code size} bytes. */
    void deallocated(Cell cell, long size) {
        cell.deallocations++;
        cell.bytesFreed += size;
        long unpublished = cell.unpublished - size;
        if (unpublished <= -peakQuantum) {
            PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's bytes
            unpublished = 0;
        }
        cell.unpublished = unpublished;
    }

    /** Counts one reallocation from {@code oldSize} to {@code newSize} bytes. */
    void reallocated(Cell cell, long oldSize, long newSize) {
        cell.reallocations++;
        cell.bytesFreed += oldSize;
        cell.bytesAllocated += newSize;
        if (newSize >= oldSize) {
            grew(cell, newSize - oldSize);
        } else {
            long unpublished = cell.unpublished - (oldSize - newSize);
            if (unpublished <= -peakQuantum) {
                PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's bytes
                unpublished = 0;
            }
            cell.unpublished = unpublished;
        }
    }

    /** Counts one failed request. */
    void failed(Cell cell) {
        cell.failures++;
    }

    /** Makes the next allocation of this thread sampled (the previous sample could not be recorded). */
    void sampleNext(Cell cell) {
        cell.untilSample = 1;
    }

    private void grew(Cell cell, long size) {
        long unpublished = cell.unpublished + size;
        if (unpublished >= peakQuantum) {
            PUBLISHED.getAndAdd(this, unpublished); // publishes this thread's bytes
            unpublished = 0;
        }
        cell.unpublished = unpublished;
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
        Cell sum = new Cell(null, 0);
        synchronized (cells) {
            foldDeadCells();
            retired.addTo(sum);
            for (Cell cell : cells) {
                cell.addTo(sum);
            }
        }
        long live = sum.bytesAllocated - sum.bytesFreed;
        raisePeak(live);
        long allocations = 0;
        for (long count : sum.histogram) {
            allocations += count;
        }
        return new Snapshot(allocations, sum.deallocations, sum.reallocations, sum.failures,
                sum.bytesAllocated, sum.bytesFreed, live, Math.max(peak, live), sum.histogram);
    }
}
