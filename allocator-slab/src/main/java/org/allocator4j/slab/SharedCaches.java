package org.allocator4j.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

import org.allocator4j.api.Layout;

/**
 * The caches virtual threads share: a power-of-two set of {@link ThreadCache}s, each claimed by CAS
 * around one allocation or free, so that memory grows with the carriers that run at once, never with the
 * virtual threads ever started.
 *
 * <p>A virtual thread tries the stripe its thread id picks ({@code tid & (length - 1)}: ids are handed out
 * in sequence, so threads started together spread over the stripes), then probes the next ones. A
 * claim that finds its first stripe busy counts as contention; once the contended claims since the last
 * growth exceed {@value #GROW_AFTER} per stripe, or a claim found every stripe busy, the set doubles, up
 * to {@link #maxStripes()}. When every stripe is busy and the set cannot grow, the caller goes to the
 * class pools directly ({@link #acquire} returns null): a claim never waits. A claim is held only for a
 * pop or a push (and the copy of half a stack): never across a monitor, where a virtual thread could be
 * unmounted while others find its cache busy.
 *
 * <p>Sizes: {@code 2 * availableProcessors} rounded up to a power of two at first (the carriers of the
 * default scheduler, twice: the JDK's pooled confined arenas use the same count), growing to four times
 * that. Each stripe holds a platform thread's capacity of blocks; its idle classes go back to the slabs
 * on its own slow paths as a platform thread's do, and {@code trim()} flushes every stripe it can claim.
 *
 * @implNote Growth copies the stripes into a larger array under this object's monitor and publishes it
 * through a volatile write; the stripes themselves (and their claim words) are the same objects, so a
 * holder of a stripe from the old array still excludes everyone else. Claim words are padded to a cache
 * line each side against false sharing between carriers.
 */
final class SharedCaches {
    /** Contended claims per stripe, since the last growth, that make the set double. */
    static final int GROW_AFTER = 64;

    private final SlabHeap heap;
    private final int[] capacity;
    private final int maxStripes;
    private volatile Stripe[] stripes;
    /** Contended claims since the last growth: racy and lossy on purpose (a heuristic, not a count). */
    private int contended;

    SharedCaches(SlabHeap heap, int[] capacity, int initialStripes, int maxStripes) {
        if (Integer.bitCount(initialStripes) != 1 || maxStripes < initialStripes || Integer.bitCount(maxStripes) != 1) {
            throw new IllegalArgumentException("initialStripes=" + initialStripes + ", maxStripes=" + maxStripes
                    + "; expected powers of two with initialStripes <= maxStripes");
        }
        this.heap = heap;
        this.capacity = capacity;
        this.maxStripes = maxStripes;
        Stripe[] s = new Stripe[initialStripes];
        for (int i = 0; i < s.length; i++) {
            s[i] = new Stripe(new ThreadCache(null, heap, capacity));
        }
        this.stripes = s;
    }

    /** {@return the initial stripe count for this machine: {@code 2 * availableProcessors}, a power of two} */
    static int defaultStripes() {
        int target = 2 * Runtime.getRuntime().availableProcessors();
        return Math.max(2, Integer.highestOneBit(target - 1) << 1);
    }

    /**
     * {@return a claimed stripe for the virtual thread {@code tid}, or null if every stripe is busy and
     * the set is at its bound} The caller releases it ({@link Stripe#release()}) when its operation is over.
     */
    Stripe acquire(long tid) {
        Stripe[] s = stripes;
        Stripe first = s[(int) tid & (s.length - 1)];
        return first.tryClaim() ? first : acquireContended(tid, s);
    }

    private Stripe acquireContended(long tid, Stripe[] s) {
        while (true) {
            int mask = s.length - 1;
            int start = (int) tid & mask;
            Stripe claimed = null;
            for (int k = 1; k < s.length && claimed == null; k++) {
                Stripe stripe = s[(start + k) & mask];
                if (stripe.tryClaim()) {
                    claimed = stripe;
                }
            }
            if (claimed != null && (++contended <= GROW_AFTER * s.length || s.length >= maxStripes)) {
                return claimed;
            }
            if (claimed != null) {
                claimed.release(); // never grow (a monitor) while holding a claim
            }
            if (!grow(s) && claimed == null) {
                return null; // every stripe busy and no room to grow
            }
            s = stripes;
            Stripe first = s[(int) tid & (s.length - 1)];
            if (first.tryClaim()) {
                return first;
            }
        }
    }

    /**
     * {@return a free block of class {@code c} for the virtual thread {@code tid}} A pop from a claimed
     * cache; when that cache is empty, a refill of half a cache from the class's depot or slabs with no
     * claim held, whose surplus then goes into a cache; when every cache is busy, one block from the pool.
     *
     * @throws org.allocator4j.api.AllocationException if a new slab is needed and the parent cannot allocate it
     */
    long allocate(int c, Layout layout, long tid) {
        Stripe stripe = acquire(tid);
        if (stripe == null) {
            // Every cache busy: one block from the pool, not a batch that would have nowhere to go.
            heap.checkOpen();
            long[] one = new long[1];
            heap.pools[c].refill(one, 0, 1, layout);
            return one[0];
        }
        long address = stripe.cache.pop(c);
        stripe.release();
        return address != 0 ? address : refill(c, layout, tid);
    }

    // NOTE: refills and flushes take the depot's and the pool's monitors, where a virtual thread may block
    // and be unmounted; a claim held meanwhile would make every other virtual thread find that cache busy
    // for as long as the scheduler keeps the blocked one waiting. So no claim is held across them: the
    // blocks move through a batch array (heap garbage of half a cache, once per refill or flush).
    private long refill(int c, Layout layout, long tid) {
        heap.checkOpen();
        ClassPool pool = heap.pools[c];
        int want = pool.depot.magazineSize;
        long[] batch = new long[want];
        int n = pool.depot.take(batch, 0) ? want : pool.refill(batch, 0, want, layout);
        long now = 0;
        if (n > 1) {
            int kept = 1; // batch[0] is the caller's
            Stripe stripe = acquire(tid);
            if (stripe != null) {
                try {
                    kept += stripe.cache.pushAll(c, batch, 1, n - 1);
                    now = stripe.cache.sweepIfDue(c);
                } finally {
                    stripe.release();
                }
            }
            if (kept < n) {
                pool.pushBack(batch, kept, n - kept); // no cache free, or the cache filled meanwhile
            }
        }
        if (now != 0) {
            heap.housekeeping(now);
        }
        return batch[0];
    }

    /**
     * Frees a block of class {@code c} for the virtual thread {@code tid}: a push onto a claimed cache;
     * when that cache is full, its older half leaves the cache under the claim and goes to the depot or
     * the slabs after the claim is released. With every cache busy, the block goes to its slab.
     *
     * @throws IllegalStateException if the allocator is closed, or a flushed block is in no slab of its
     *                               class (misuse with the free check off)
     */
    void deallocate(int c, long address, long tid) {
        Stripe stripe = acquire(tid);
        if (stripe == null) {
            heap.checkOpen();
            heap.pools[c].pushBack(new long[] {address}, 0, 1);
            return;
        }
        long[] flush = null;
        int n = 0;
        long now = 0;
        try {
            ThreadCache cache = stripe.cache;
            if (!cache.push(c, address)) {
                heap.checkOpen();
                flush = new long[Math.max(1, cache.capacity(c) >>> 1)];
                n = cache.takeOlderHalf(c, flush);
                cache.push(c, address); // room: at least one block left
                now = cache.sweepIfDue(c);
            }
        } finally {
            stripe.release();
        }
        if (flush != null) {
            ClassPool pool = heap.pools[c];
            if (n != pool.depot.magazineSize || !pool.depot.offer(flush, 0)) {
                pool.pushBack(flush, 0, n);
            }
            if (now != 0) {
                heap.housekeeping(now);
            }
        }
    }

    /** Doubles the set if it still is {@code seen} and below the bound; {@return whether there are more stripes now} */
    private synchronized boolean grow(Stripe[] seen) {
        Stripe[] current = stripes;
        if (current != seen) {
            return true; // another thread grew it
        }
        if (current.length >= maxStripes) {
            return false;
        }
        Stripe[] larger = java.util.Arrays.copyOf(current, current.length * 2);
        for (int i = current.length; i < larger.length; i++) {
            larger[i] = new Stripe(new ThreadCache(null, heap, capacity));
        }
        contended = 0;
        stripes = larger; // publishes the new stripes (their caches fully built) to the next claims
        return true;
    }

    /**
     * Calls {@code action} with the cache of every stripe it can claim, then releases it; busy stripes are
     * skipped (their holder is in the middle of an operation).
     *
     * @return the number of stripes skipped
     */
    int forEachClaimed(Consumer<ThreadCache> action) {
        int skipped = 0;
        for (Stripe stripe : stripes) {
            if (!stripe.tryClaim()) {
                skipped++;
                continue;
            }
            try {
                action.accept(stripe.cache);
            } finally {
                stripe.release();
            }
        }
        return skipped;
    }

    /**
     * Calls {@code action} with every cache: claimed while it runs when the stripe is free, read racily
     * (mid-operation) when it is busy. For statistics.
     */
    void forEach(Consumer<ThreadCache> action) {
        for (Stripe stripe : stripes) {
            boolean claimed = stripe.tryClaim();
            try {
                action.accept(stripe.cache);
            } finally {
                if (claimed) {
                    stripe.release();
                }
            }
        }
    }

    /** {@return the number of stripes now} */
    int size() {
        return stripes.length;
    }

    /** {@return the most stripes the set grows to} */
    int maxStripes() {
        return maxStripes;
    }

    /** Forgets what every cache holds, for {@link SlabHeap#close()} (no thread may use the allocator then). */
    void clear() {
        for (Stripe stripe : stripes) {
            stripe.cache.clear();
        }
    }

    /** Padding before the claim word: 64 bytes, one cache line. */
    abstract static class StripePadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The claim word, between two cache lines of padding (superclass fields are laid out first). */
    abstract static class StripeClaim extends StripePadBefore {
        /** 0: free; 1: claimed by a thread for one operation. Accessed through {@link Stripe#CLAIM}. */
        volatile int claim;
    }

    /** One shared cache and its claim. */
    static final class Stripe extends StripeClaim {
        static final VarHandle CLAIM;

        static {
            try {
                CLAIM = MethodHandles.lookup().findVarHandle(StripeClaim.class, "claim", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long q00, q01, q02, q03, q04, q05, q06, q07;
        final ThreadCache cache;

        Stripe(ThreadCache cache) {
            this.cache = cache;
        }

        /** {@return whether this thread now holds the stripe} */
        boolean tryClaim() {
            // The CAS acquires: the previous holder's plain writes to the cache happen-before this holder's reads.
            return claim == 0 && CLAIM.compareAndSet(this, 0, 1);
        }

        /** Ends the holder's operation. */
        void release() {
            // Publishes this holder's plain writes to the cache to the next holder's CAS.
            CLAIM.setRelease(this, 0);
        }
    }
}
