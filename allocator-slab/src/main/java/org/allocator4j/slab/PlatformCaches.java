package org.allocator4j.slab;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The caches of platform threads: one per thread, created on the thread's first allocation or free,
 * found through a table indexed by thread id, and flushed back to the slabs after the thread has died.
 * Virtual threads never get one ({@link SharedCaches}).
 *
 * <p>Registration takes no global lock: a cache goes into a concurrent set (one bin lock of a
 * {@link ConcurrentHashMap}) and bumps an atomic count. Dead caches are found by a scan of the set
 * ({@link #reclaimDead()}), which removes each with one O(1) set removal; a scan runs on {@code trim()},
 * on {@code statistics()}, when a slab is made, and when the count has doubled since the last scan, so
 * its cost is amortised over the registrations and a dead thread's cache waits at most until the number
 * of caches doubles.
 *
 * @implNote The table is read and written without a lock: a thread writes its cache into an empty slot
 * with a plain store, and a reader compares the cache's {@code final} thread id with its own (a cache is
 * safely published through its final fields, whichever one a reader sees). A thread whose slot another
 * live thread holds falls back to a {@link ThreadLocal}.
 */
final class PlatformCaches {
    private final SlabHeap heap;
    private final int[] capacity;
    private final ThreadLocal<ThreadCache> local = ThreadLocal.withInitial(this::create);
    /** Caches by thread id modulo the length: a slot is filled once and emptied when its thread dies. */
    private final ThreadCache[] byThread = new ThreadCache[256];
    private final Set<ThreadCache> registry = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    /** The count after the last scan; a scan is due when the count has doubled since. */
    private volatile int countAtScan = 8;

    PlatformCaches(SlabHeap heap, int[] capacity) {
        this.heap = heap;
        this.capacity = capacity;
    }

    /** {@return the cache of the thread with id {@code tid} from the table, or null if the table has none} */
    ThreadCache lookup(long tid) {
        ThreadCache cache = byThread[(int) tid & (byThread.length - 1)];
        return cache != null && cache.tid == tid ? cache : null;
    }

    /** {@return the calling platform thread's cache, made and registered on first use} */
    ThreadCache current(long tid) {
        ThreadCache cache = local.get();
        int slot = (int) tid & (byThread.length - 1);
        if (byThread[slot] == null) {
            // A plain store: a reader sees null, this cache or another thread's, and checks the tid.
            byThread[slot] = cache;
        }
        return cache;
    }

    private ThreadCache create() {
        ThreadCache cache = new ThreadCache(Thread.currentThread(), heap, capacity);
        registry.add(cache);
        if (count.incrementAndGet() >= 2 * countAtScan) {
            reclaimDead();
        }
        return cache;
    }

    /**
     * Flushes and forgets the caches whose thread has died.
     *
     * @throws IllegalStateException after every dead cache was flushed, if one held a block that is in no
     *                               slab of its class (misuse with the free check off)
     */
    void reclaimDead() {
        countAtScan = Math.max(8, count.get()); // first, so that registrations meanwhile do not start scans too
        IllegalStateException misuse = null;
        for (ThreadCache cache : registry) {
            Thread owner = cache.owner.get();
            // isAlive() false: the owner's last action happens-before this read (JLS 17.4.4), so its cache
            // is ours now. A cleared reference means the Thread was collected, so it had ended. remove()
            // returns true to one scanner only, so a cache is flushed once.
            if ((owner == null || !owner.isAlive()) && registry.remove(cache)) {
                count.decrementAndGet();
                int slot = (int) cache.tid & (byThread.length - 1);
                if (byThread[slot] == cache) {
                    byThread[slot] = null;
                }
                try {
                    cache.flushAll();
                } catch (IllegalStateException e) {
                    misuse = misuse == null ? e : misuse;
                }
            }
        }
        countAtScan = Math.max(8, count.get());
        if (misuse != null) {
            throw misuse;
        }
    }

    /** Calls {@code action} with every registered cache (the live threads' ones: racy reads). */
    void forEach(Consumer<ThreadCache> action) {
        registry.forEach(action);
    }

    /** {@return the number of registered caches: live platform threads, and dead ones not yet reclaimed} */
    int size() {
        return count.get();
    }

    /** Forgets every cache and what it holds, for {@link SlabHeap#close()}. */
    void clear() {
        for (ThreadCache cache : registry) {
            cache.clear();
        }
        registry.clear();
        count.set(0);
        java.util.Arrays.fill(byThread, null);
    }
}
