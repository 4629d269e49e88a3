package org.allocator4j.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

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
 * class pools directly ({@link #acquire} returns null): a claim never waits, so a holder that is unmounted
 * (blocked on a pool's monitor) delays nobody.
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
            for (int k = 1; k < s.length; k++) {
                Stripe stripe = s[(start + k) & mask];
                if (stripe.tryClaim()) {
                    if (++contended > GROW_AFTER * s.length) {
                        grow(s);
                    }
                    return stripe;
                }
            }
            if (!grow(s)) {
                return null; // every stripe busy and no room to grow
            }
            s = stripes;
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
