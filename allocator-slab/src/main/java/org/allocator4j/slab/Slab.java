package org.allocator4j.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One slab: a region of {@link #bytes} bytes from the parent allocator, aligned to its size, carved into
 * equal blocks of one size class.
 *
 * <p>A slab's free blocks are in three places, and {@link #outstanding} counts the rest (the blocks in
 * thread caches or live in callers' hands):
 * <ul>
 *   <li>the <b>untouched tail</b>: blocks {@code carved..blockCount-1}, never handed out, so never written;</li>
 *   <li>the <b>local list</b>, a chain through the free blocks' first 8 bytes, touched only under the
 *       {@link ClassPool}'s lock;</li>
 *   <li>the <b>remote list</b>, a second chain that any thread pushes onto with one CAS (mimalloc's
 *       {@code xthread_free}): thread caches flush here without a lock, whichever thread allocated.</li>
 * </ul>
 * A free list lives inside the free blocks: a block's first word is the address of the next, 0 ends the
 * chain. Every class is at least 16 bytes and 16-aligned, so the word fits and is aligned.
 *
 * <p>Access modes: fields named {@code ...Volatile}/{@code cas...}/{@code getAndSet...} in the methods'
 * names say the VarHandle mode; every other field is read and written only under the pool's lock, or is
 * final.
 */
final class Slab {
    private static final VarHandle REMOTE;
    private static final VarHandle OUTSTANDING;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REMOTE = lookup.findVarHandle(Slab.class, "remote", long.class);
            OUTSTANDING = lookup.findVarHandle(Slab.class, "outstanding", int.class);
            QUEUED = lookup.findVarHandle(Slab.class, "queued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The slab's first byte, a multiple of {@link #bytes}. */
    final long base;
    /** The slab's size in bytes, a power of two. */
    final long bytes;
    final int blockSize;
    final int blockCount;
    final ClassPool pool;

    /** Head of the remote list (0: empty). CAS-pushed by any thread, taken whole by getAndSet under the lock. */
    @SuppressWarnings("unused") // accessed through REMOTE
    private volatile long remote;
    /** Blocks handed to thread caches and not yet pushed back. Added to under the lock, subtracted by pushers. */
    @SuppressWarnings("unused") // accessed through OUTSTANDING
    private volatile int outstanding;
    /** 1 while the slab is on its pool's pending stack, so that it is pushed there once. */
    @SuppressWarnings("unused") // accessed through QUEUED
    private volatile int queued;
    /** The next slab on the pool's pending stack; written before the CAS that publishes this slab there. */
    Slab nextPending;

    // Under the pool's lock:
    private long local;
    private int carved;
    /** Whether the slab is on the pool's partial list. */
    boolean partial;
    /** Whether the slab is on the pool's empty list, and since when ({@link System#nanoTime()}). */
    boolean empty;
    long emptySince;
    /** Index in the pool's list of all slabs, for removal. */
    int index;

    Slab(long base, long bytes, int blockSize, ClassPool pool) {
        this.base = base;
        this.bytes = bytes;
        this.blockSize = blockSize;
        this.blockCount = (int) (bytes / blockSize);
        this.pool = pool;
    }

    /**
     * Takes up to {@code want} free blocks into {@code out[from..]}, under the pool's lock: the local
     * list first (recently freed, likely warm), then the remote list, then the untouched tail.
     *
     * @return the number of blocks taken, 0 if the slab has no free block
     */
    int take(long[] out, int from, int want) {
        int n = 0;
        long head = local;
        while (n < want) {
            if (head != 0) {
                out[from + n++] = head;
                head = NativeMemory.getLong(head);
            } else if ((head = getAndSetRemote()) != 0) {
                continue;
            } else if (carved < blockCount) {
                int k = Math.min(want - n, blockCount - carved);
                long address = base + (long) carved * blockSize;
                for (int i = 0; i < k; i++, address += blockSize) {
                    out[from + n++] = address;
                }
                carved += k;
            } else {
                break;
            }
        }
        local = head;
        if (n > 0) {
            // Only this lock holder adds; pushers subtract concurrently, hence the atomic add.
            OUTSTANDING.getAndAdd(this, n);
        }
        return n;
    }

    /**
     * Pushes a chain of {@code count} blocks of this slab, linked {@code head -> ... -> tail}, onto the
     * remote list: one CAS, from any thread, no lock. The caller gives up the blocks.
     *
     * @return whether the caller must push this slab onto its pool's pending stack (it was not there)
     */
    boolean pushRemote(long head, long tail, int count) {
        long old;
        do {
            old = (long) REMOTE.getVolatile(this);
            NativeMemory.putLong(tail, old);
            // The CAS publishes the chain's links (written above and by the caller) to the thread that takes it.
        } while (!REMOTE.compareAndSet(this, old, head));
        boolean enqueue = (int) QUEUED.getVolatile(this) == 0 && QUEUED.compareAndSet(this, 0, 1);
        // NOTE: the last access to this slab by a pusher. Once outstanding reaches 0 the pool may return
        // the slab's memory to the parent, so the pending flag is settled above, before this subtraction.
        OUTSTANDING.getAndAdd(this, -count);
        return enqueue;
    }

    /** Called under the lock when this slab is taken off the pending stack; a later push queues it again. */
    void clearQueuedVolatile() {
        // Cleared before the remote list is next taken: a push after that take sees 0 and queues the slab.
        QUEUED.setVolatile(this, 0);
    }

    private long getAndSetRemote() {
        // Acquires the chain's links written by the pushers before their CAS.
        return (long) REMOTE.getAndSet(this, 0L);
    }

    /** {@return the blocks handed out and not pushed back} */
    int outstandingVolatile() {
        return (int) OUTSTANDING.getVolatile(this);
    }

    /** {@return whether the slab is on its pool's pending stack} */
    boolean queuedVolatile() {
        return (int) QUEUED.getVolatile(this) != 0;
    }

    /** {@return whether the slab has a free block, under the lock: local or untouched, or a remote push} */
    boolean hasFree() {
        return local != 0 || carved < blockCount || (long) REMOTE.getVolatile(this) != 0;
    }

    @Override
    public String toString() {
        return "Slab[base=0x" + Long.toHexString(base) + ", bytes=" + bytes + ", blockSize=" + blockSize
                + ", outstanding=" + outstandingVolatile() + "]";
    }
}
