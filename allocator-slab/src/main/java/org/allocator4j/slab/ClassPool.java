package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;

/**
 * The slabs of one size class of one allocator: where thread caches refill from, and where empty slabs
 * wait for their decay before going back to the parent.
 *
 * <p>Slabs move between lists as in Linux's SLUB: a slab with free blocks is <i>partial</i>; a slab whose
 * blocks are all handed out is on no list (it comes back when a block of it is pushed); a slab with every
 * block free is <i>empty</i>, reused before a new slab is made and returned to the parent once it has
 * been empty longer than the decay, or on {@link #trim()}.
 *
 * <p>Flushes and refills of half a thread cache try the class's {@link Depot} first.
 *
 * <p>Pushing blocks back ({@link #pushBack}) takes no lock: each slab's remote list takes one CAS, and a
 * slab that had none pushed since it was last looked at goes on the lock-free <i>pending</i> stack (one
 * more CAS). Refilling, draining the pending stack, and everything that changes the lists run under this
 * object's monitor; only a cache that ran dry takes it, once per batch.
 */
final class ClassPool {
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(ClassPool.class, "pending", Slab.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int sizeClass;
    final int blockSize;
    final long slabBytes;
    private final Layout slabLayout;
    private final SlabHeap heap;

    /** Top of the pending stack: slabs that had blocks pushed back since they were last drained. */
    @SuppressWarnings("unused") // accessed through PENDING
    private volatile Slab pending;

    // Under the monitor:
    private final ArrayDeque<Slab> partial = new ArrayDeque<>();
    /** Empty slabs, the most recently emptied first. */
    private final ArrayDeque<Slab> empty = new ArrayDeque<>();
    private final ArrayList<Slab> all = new ArrayList<>();

    /** Full magazines of flushed blocks, tried before the slabs by flushes and refills of half a cache. */
    final Depot depot;

    ClassPool(int sizeClass, long slabBytes, int magazineSize, SlabHeap heap) {
        this.sizeClass = sizeClass;
        this.blockSize = SizeClass.size(sizeClass);
        this.slabBytes = slabBytes;
        this.slabLayout = Layout.of(slabBytes, slabBytes);
        this.depot = new Depot(magazineSize);
        this.heap = heap;
    }

    /**
     * Gives {@code magazines} back to the slabs, then to the depot for reuse.
     *
     * @throws IllegalStateException after giving back every block, if one was foreign (see {@link #pushBack})
     */
    private void pushBack(long[][] magazines) {
        IllegalStateException misuse = null;
        for (long[] magazine : magazines) {
            try {
                pushBack(magazine, 0, magazine.length);
            } catch (IllegalStateException e) {
                misuse = misuse == null ? e : misuse;
            }
        }
        depot.recycle(magazines);
        if (misuse != null) {
            throw misuse;
        }
    }

    /**
     * Takes between 1 and {@code want} free blocks into {@code out[from..]}, making a new slab if no slab
     * has a free block.
     *
     * @return the number of blocks taken, at least 1
     * @throws AllocationException if a new slab is needed and the parent cannot allocate it ({@code layout}
     *                             is the caller's request, for the message)
     */
    synchronized int refill(long[] out, int from, int want, Layout layout) {
        drainPending();
        int n = 0;
        while (n < want) {
            Slab slab = partial.peekFirst();
            if (slab == null) {
                break;
            }
            int k = slab.take(out, from + n, want - n);
            n += k;
            if (k == 0 || !slab.hasFree()) {
                partial.pollFirst();
                slab.partial = false;
            }
        }
        while (n < want) {
            Slab slab = empty.pollFirst();
            if (slab == null) {
                break;
            }
            slab.empty = false;
            n += slab.take(out, from + n, want - n);
            if (slab.hasFree()) {
                slab.partial = true;
                partial.addLast(slab);
            }
        }
        if (n == 0) {
            Slab slab = newSlab(layout);
            n = slab.take(out, from, want);
            if (slab.hasFree()) {
                slab.partial = true;
                partial.addFirst(slab);
            }
        }
        if (!empty.isEmpty()) {
            decay(System.nanoTime(), heap.decayNanos);
        }
        return n;
    }

    /**
     * Gives back {@code count} blocks {@code blocks[from..from+count)} of this class, from any thread,
     * without a lock: runs of blocks of one slab are linked into a chain and pushed with one CAS.
     *
     * @throws AllocatorMisuseException after giving back every other block, if some address is in no slab
     *                                  of this class (a foreign block or a wrong layout freed with checked
     *                                  frees off: misuse; it is reported here rather than corrupting a slab)
     */
    void pushBack(long[] blocks, int from, int count) {
        long mask = ~(slabBytes - 1);
        Slab slab = null;
        long slabBase = 0;
        long head = 0;
        long tail = 0;
        int run = 0;
        long foreign = 0;
        int foreignCount = 0;
        for (int i = from, end = from + count; i < end; i++) {
            long address = blocks[i];
            long base = address & mask;
            if (slab == null || base != slabBase) {
                Slab found = heap.slabs.get(base);
                if (found == null || found.pool != this) {
                    foreign = address;
                    foreignCount++;
                    continue;
                }
                if (run > 0) {
                    push(slab, head, tail, run);
                }
                slab = found;
                slabBase = base;
                head = 0;
                tail = address;
                run = 0;
            }
            NativeMemory.putLong(address, head);
            head = address;
            run++;
        }
        if (run > 0) {
            push(slab, head, tail, run);
        }
        if (foreignCount > 0) {
            throw new AllocatorMisuseException(AllocatorMisuseException.Kind.FOREIGN_BLOCK, heap.name(),
                    foreignCount + " freed block(s) of class size=" + blockSize + " are in no slab of this "
                    + "class, e.g. address=0x" + Long.toHexString(foreign) + "; expected blocks this allocator "
                    + "returned, freed with the layout they were allocated with (they were dropped)");
        }
    }

    private void push(Slab slab, long head, long tail, int run) {
        if (slab.pushRemote(head, tail, run)) {
            Slab top;
            do {
                top = (Slab) PENDING.getVolatile(this);
                slab.nextPending = top;
                // The CAS publishes slab.nextPending to the thread that drains the stack.
            } while (!PENDING.compareAndSet(this, top, slab));
        }
    }

    /** Moves the slabs on the pending stack to the partial or empty list. Under the monitor. */
    private void drainPending() {
        Slab slab = (Slab) PENDING.getAndSet(this, (Slab) null);
        while (slab != null) {
            Slab next = slab.nextPending;
            slab.nextPending = null;
            slab.clearQueuedVolatile();
            file(slab);
            slab = next;
        }
    }

    /** Puts a slab that may have free blocks on the right list. Under the monitor. */
    private void file(Slab slab) {
        if (slab.outstandingVolatile() == 0) {
            // Every block is free, and only a refill under this monitor can hand one out again.
            if (slab.partial) {
                partial.remove(slab);
                slab.partial = false;
            }
            if (!slab.empty) {
                slab.empty = true;
                slab.emptySince = System.nanoTime();
                empty.addFirst(slab);
            }
        } else if (!slab.partial && !slab.empty) {
            slab.partial = true;
            partial.addLast(slab);
        }
    }

    private Slab newSlab(Layout request) {
        MemorySegment region;
        try {
            region = heap.parent.allocate(slabLayout);
        } catch (AllocationException e) {
            throw new AllocationException(heap.name(), request, "the parent allocator '" + heap.parent.name()
                    + "' cannot allocate a slab of " + slabLayout + " for class size=" + blockSize, e);
        }
        if ((region.address() & (slabBytes - 1)) != 0) {
            heap.parent.deallocate(region, slabLayout);
            throw new AllocationException(heap.name(), request, "the parent allocator '" + heap.parent.name()
                    + "' returned address=0x" + Long.toHexString(region.address()) + " not aligned to "
                    + slabLayout);
        }
        Slab slab = new Slab(region.address(), slabBytes, blockSize, this);
        slab.index = all.size();
        all.add(slab);
        heap.slabs.put(slab);
        heap.slabCreated();
        return slab;
    }

    /** Returns empty slabs that have been empty at least {@code decayNanos} to the parent. Under the monitor. */
    private void decay(long now, long decayNanos) {
        Slab oldest;
        while ((oldest = empty.peekLast()) != null && now - oldest.emptySince >= decayNanos) {
            empty.pollLast();
            oldest.empty = false;
            release(oldest);
        }
    }

    /** Drains the pending stack, returns empty slabs older than the decay, and drains an unused depot. */
    void decay() {
        synchronized (this) {
            drainPending();
            decay(System.nanoTime(), heap.decayNanos);
        }
        pushBack(depot.drainIfUnused()); // unused for a whole decay period: the blocks go back to the slabs
    }

    /**
     * Gives the depot's blocks back to the slabs, drains the pending stack and returns every empty slab
     * to the parent.
     *
     * @throws IllegalStateException after all that, if a foreign block was in the depot
     */
    void trim() {
        IllegalStateException misuse = null;
        try {
            pushBack(depot.drain());
        } catch (IllegalStateException e) {
            misuse = e;
        }
        synchronized (this) {
            trimSlabs();
        }
        if (misuse != null) {
            throw misuse;
        }
    }

    private void trimSlabs() {
        drainPending();
        // A slab can empty while on the partial list (its last blocks were pushed while it was pending).
        for (Slab slab : partial.toArray(new Slab[0])) {
            file(slab);
        }
        Slab slab;
        while ((slab = empty.pollFirst()) != null) {
            slab.empty = false;
            release(slab);
        }
    }

    private void release(Slab slab) {
        // Outstanding 0 read under the monitor stays 0 (only refills add), and every push settled its
        // pending flag before its subtraction: so when queued reads 0 after this, no thread touches the slab.
        if (slab.outstandingVolatile() != 0) {
            file(slab); // not empty after all (cannot happen on the empty list): back to partial
            return;
        }
        if (slab.queuedVolatile()) {
            return; // on the pending stack again: the next drain files it
        }
        Slab last = all.remove(all.size() - 1);
        if (last != slab) {
            all.set(slab.index, last);
            last.index = slab.index;
        }
        heap.slabs.remove(slab);
        heap.parent.deallocate(NativeMemory.segment(slab.base, slab.bytes), slabLayout);
        heap.slabReleased();
    }

    /** Returns every slab to the parent, whatever its state. For {@link SlabHeap#close()}. */
    synchronized void releaseAll() {
        for (Slab slab : all) {
            heap.slabs.remove(slab);
            heap.parent.deallocate(NativeMemory.segment(slab.base, slab.bytes), slabLayout);
            heap.slabReleased();
        }
        all.clear();
        partial.clear();
        empty.clear();
        depot.drain();
        PENDING.setVolatile(this, (Slab) null);
    }

    /** {@return this class's counters: slabs, empty slabs, blocks handed out of slabs} */
    synchronized long[] counts() {
        long outstanding = 0;
        for (Slab slab : all) {
            outstanding += slab.outstandingVolatile();
        }
        return new long[] {all.size(), empty.size(), outstanding, depot.blocks()};
    }
}
