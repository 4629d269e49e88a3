package org.allocator4j.slab;

import java.lang.ref.WeakReference;

import org.allocator4j.api.Layout;

/**
 * A cache of free blocks, one bounded stack per size class: the allocator's fast path. A platform thread
 * has one of its own; virtual threads share a few ({@link SharedCaches}), each claimed around one
 * operation.
 *
 * <p>The owner (the platform thread, or the claimer of a shared cache) pops and pushes block addresses
 * with plain reads and writes, no lock and no CAS;
 * the stacks hold addresses beside the blocks, so the fast path never touches block memory. A stack that
 * runs dry refills half its capacity from the class's {@link ClassPool} in one batch (a whole magazine from
 * the pool's depot if there is one); a stack that is full flushes its older half in one batch: as one
 * magazine into the depot, or, when the depot is full, back to the slabs (lock-free, one CAS per run of
 * blocks of one slab).
 *
 * <p>Idle classes are trimmed by the owner: at most once per decay period, on a refill or flush, every
 * class that had no refill or flush since the last such sweep gives its whole stack back. A thread that
 * goes entirely idle keeps its (bounded) stacks until it runs again or dies.
 *
 * <p>Everything lives in one {@code long[]}, so that the fast path loads one array: for
 * {@code N = SizeClass.COUNT}, {@code a[c]} is class {@code c}'s top, {@code a[N + c]} its start,
 * {@code a[2N + c]} its end, and its blocks are {@code a[start .. top)} (slots from {@code 3N} on).
 *
 * <p>Confined to its owner thread, except when the owner is dead: then {@link PlatformCaches} flushes the
 * cache from another thread (a thread's termination happens-before another thread sees it not alive). A
 * shared cache is confined to whoever holds its claim ({@link SharedCaches.Stripe}): the claim's CAS and
 * release order one holder's plain accesses before the next holder's.
 */
final class ThreadCache {
    /** The owner thread; null for a shared cache. */
    final WeakReference<Thread> owner;
    /** The owner's {@link Thread#threadId()} (unique in the JVM, never reused, positive); 0 for a shared cache. */
    final long tid;
    private final SlabHeap heap;
    private static final int N = SizeClass.COUNT;
    private static final int START = N;
    private static final int END = 2 * N;
    /** Tops, starts, ends, then the stacks; see the class comment. */
    private final long[] a;
    /** Refills and flushes per class since the last sweep; a class with none was served from the stack alone. */
    private final int[] events;
    private long nextSweep;
    private int slowPaths;
    /** Slow paths between two looks at the clock (a power of two); every one when the decay is 0. */
    private static final int HOUSEKEEPING_PERIOD = 16;

    /**
     * Creates a cache.
     *
     * @param owner    the platform thread that owns it, or null for a cache virtual threads share
     * @param heap     the allocator
     * @param capacity blocks per class
     */
    ThreadCache(Thread owner, SlabHeap heap, int[] capacity) {
        this.owner = owner == null ? null : new WeakReference<>(owner);
        this.tid = owner == null ? 0 : owner.threadId();
        this.heap = heap;
        int total = 3 * N;
        for (int c = 0; c < N; c++) {
            total += capacity[c];
        }
        this.a = new long[total];
        int next = 3 * N;
        for (int c = 0; c < N; c++) {
            a[c] = next;
            a[START + c] = next;
            next += capacity[c];
            a[END + c] = next;
        }
        this.events = new int[N];
        this.nextSweep = System.nanoTime() + heap.decayNanos;
    }

    /** {@return a cached block of class {@code c}, or 0 if its stack is empty} */
    long pop(int c) {
        long[] a = this.a;
        int t = (int) a[c];
        if (t == (int) a[START + c]) {
            return 0;
        }
        a[c] = --t;
        return a[t];
    }

    /** {@return whether the block was pushed; false if the stack of class {@code c} is full} */
    boolean push(int c, long address) {
        long[] a = this.a;
        int t = (int) a[c];
        if (t == (int) a[END + c]) {
            return false;
        }
        a[t] = address;
        a[c] = t + 1;
        return true;
    }

    private int start(int c) {
        return (int) a[START + c];
    }

    private int end(int c) {
        return (int) a[END + c];
    }

    private int top(int c) {
        return (int) a[c];
    }

    /**
     * Refills the empty stack of class {@code c} with half its capacity and pops one block.
     *
     * @throws org.allocator4j.api.AllocationException if the pool needs a slab the parent cannot give
     */
    long refillAndPop(int c, Layout layout) {
        heap.checkOpen();
        int from = start(c);
        int want = Math.max(1, (end(c) - from) >>> 1);
        ClassPool pool = heap.pools[c];
        int n = want == pool.depot.magazineSize && pool.depot.take(a, from)
                ? want
                : pool.refill(a, from, want, layout);
        a[c] = from + n - 1;
        long address = a[from + n - 1];
        events[c]++;
        housekeeping(c);
        return address;
    }

    /** Flushes the older half of the full stack of class {@code c}, then pushes {@code address}. */
    void flushAndPush(int c, long address) {
        heap.checkOpen();
        int from = start(c);
        int count = top(c) - from;
        int flush = Math.max(1, count >>> 1);
        try {
            ClassPool pool = heap.pools[c];
            if (flush != pool.depot.magazineSize || !pool.depot.offer(a, from)) {
                pool.pushBack(a, from, flush);
            }
        } finally {
            // Even if pushBack reported a foreign block, every other block went back: forget them all,
            // and keep the block being freed.
            System.arraycopy(a, from + flush, a, from, count - flush);
            a[c] = from + count - flush;
            push(c, address); // room: every capacity is at least 2, so at least one slot was flushed
        }
        events[c]++;
        housekeeping(c);
    }

    /** Every {@value #HOUSEKEEPING_PERIOD} slow paths, reads the clock and runs the sweeps that are due. */
    private void housekeeping(int current) {
        long now = sweepIfDue(current);
        if (now != 0) {
            heap.housekeeping(now);
        }
    }

    /**
     * Counts a slow path of class {@code c} and, every {@value #HOUSEKEEPING_PERIOD} of them, reads the
     * clock and sweeps this cache's idle classes if due (lock-free: pushes onto the slabs' remote lists).
     *
     * @return the time read, for the heap's housekeeping, which the caller runs (outside any claim: it
     *         takes the pools' monitors); 0 if the clock was not read
     */
    long sweepIfDue(int c) {
        if ((++slowPaths & (HOUSEKEEPING_PERIOD - 1)) != 0 && heap.decayNanos > 0) {
            return 0;
        }
        long now = System.nanoTime();
        sweep(c, now);
        return now == 0 ? 1 : now;
    }

    /**
     * Moves the older half of the full stack of class {@code c} into {@code out[0..)}, for a flush the
     * caller does after releasing this (shared) cache, and counts the slow path.
     *
     * @return the number of blocks moved, at least 1
     */
    int takeOlderHalf(int c, long[] out) {
        int from = start(c);
        int count = top(c) - from;
        int half = Math.max(1, count >>> 1);
        System.arraycopy(a, from, out, 0, half);
        System.arraycopy(a, from + half, a, from, count - half);
        a[c] = from + count - half;
        events[c]++;
        return half;
    }

    /**
     * Pushes {@code blocks[from..from+count)} onto the stack of class {@code c} as far as there is room,
     * counting a refill.
     *
     * @return the number pushed
     */
    int pushAll(int c, long[] blocks, int from, int count) {
        int t = top(c);
        int n = Math.min(count, end(c) - t);
        System.arraycopy(blocks, from, a, t, n);
        a[c] = t + n;
        events[c]++;
        return n;
    }

    /** {@return the most blocks of class {@code c} this cache holds} */
    int capacity(int c) {
        return end(c) - start(c);
    }

    /**
     * At most once per decay period, on a slow path: flushes the whole stack of every class that had no
     * refill or flush since the last sweep (but {@code current}'s). Such a class is idle in this thread, or
     * served from its stack alone; either way its blocks go back to the slabs, where other threads and
     * the decay can use them. (jemalloc's tcache GC and Netty's cache sweep do the same.)
     */
    private void sweep(int current, long now) {
        if (now - nextSweep < 0) {
            return;
        }
        nextSweep = now + heap.decayNanos;
        for (int c = 0; c < N; c++) {
            int count = top(c) - start(c);
            if (events[c] == 0 && c != current && count > 0) {
                a[c] = start(c);
                heap.pools[c].pushBack(a, start(c), count);
            }
            events[c] = 0;
        }
    }

    /**
     * Flushes every block of every class back to the slabs. By the owner, or by anyone once it is dead.
     *
     * @throws IllegalStateException after every other block went back, if a block was in no slab of its class
     */
    void flushAll() {
        IllegalStateException misuse = null;
        for (int c = 0; c < N; c++) {
            int count = top(c) - start(c);
            if (count > 0) {
                a[c] = start(c); // forgotten first: pushBack gives every valid block back even if it throws
                try {
                    heap.pools[c].pushBack(a, start(c), count);
                } catch (IllegalStateException e) {
                    misuse = misuse == null ? e : misuse; // the other classes go back all the same
                }
            }
        }
        if (misuse != null) {
            throw misuse;
        }
    }

    /** Forgets every cached block, for {@link SlabHeap#close()}: the memory is about to go back anyway. */
    void clear() {
        System.arraycopy(a, START, a, 0, N);
    }

    /** {@return the number of blocks cached for class {@code c}} Racy when read by another thread than the owner. */
    int cached(int c) {
        return top(c) - start(c);
    }
}
