package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The slab allocator: size classes served by thread caches over per-class slab pools, large blocks by
 * the parent.
 *
 * <p>Fast path: {@link SizeClass#of} (a table lookup), the thread's cache from an array indexed by its
 * thread id (a {@link ThreadLocal} when another live thread holds the slot), a pop or push on its stack,
 * and a slice of one global segment; no lock, no CAS, no native call, no allocation that escapes.
 *
 * <p>Caches of dead threads come back: every cache is registered with a weak reference to its thread,
 * and the registry is scanned for dead owners on {@link #trim()}, on {@link #statistics()}, when a new
 * slab is made, and when the number of caches has doubled since the last scan.
 */
final class SlabHeap implements SlabAllocator {
    final GlobalAllocator parent;
    final SlabMap slabs = new SlabMap();
    final ClassPool[] pools;
    final long decayNanos;
    private final SlabConfig config;
    private final int[] platformCapacity;
    private final int[] virtualCapacity;
    private final ThreadLocal<ThreadCache> caches = ThreadLocal.withInitial(this::newCache);
    /** Caches by thread id modulo the length: a slot is filled once and emptied when its thread dies. */
    private final ThreadCache[] byThread = new ThreadCache[256];

    private final Object registryLock = new Object();
    private final List<ThreadCache> registry = new ArrayList<>();  // under registryLock
    private int registrySizeAtScan = 8;                           // under registryLock
    private final AtomicLong slabCount = new AtomicLong();
    private volatile boolean reclaimDue;
    private volatile boolean closed;
    private volatile long nextDecaySweep;
    private final LongAdder largeBytes = new LongAdder();

    SlabHeap(SlabConfig config, GlobalAllocator parent) {
        this.config = config;
        this.parent = java.util.Objects.requireNonNull(parent, "parent");
        this.decayNanos = TimeUnit.MILLISECONDS.toNanos(config.decayMillis());
        this.pools = new ClassPool[SizeClass.COUNT];
        this.platformCapacity = new int[SizeClass.COUNT];
        this.virtualCapacity = new int[SizeClass.COUNT];
        for (int c = 0; c < SizeClass.COUNT; c++) {
            platformCapacity[c] = config.cacheCapacityOf(c, false);
            pools[c] = new ClassPool(c, config.slabBytesOf(c), Math.max(1, platformCapacity[c] >>> 1), this);
            virtualCapacity[c] = config.cacheCapacityOf(c, true);
        }
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        int c = SizeClass.of(size, layout.alignment());
        if (c < 0) {
            return allocateUnclassed(layout);
        }
        ThreadCache cache = cache();
        long address = cache.pop(c);
        if (address == 0) {
            address = cache.refillAndPop(c, layout);
        }
        return NativeMemory.segment(address, size);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        int c = SizeClass.of(layout.size(), layout.alignment());
        if (c < 0) {
            deallocateUnclassed(block, layout);
            return;
        }
        long address = block.address();
        ThreadCache cache = cache();
        if (!cache.push(c, address)) {
            cache.flushAndPush(c, address);
        }
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        int c = SizeClass.of(layout.size(), layout.alignment());
        if (c >= 0 && newSize > 0 && SizeClass.of(newSize, layout.alignment()) == c) {
            Layout.of(newSize, layout.alignment()); // validates, as the contract asks
            return NativeMemory.segment(block.address(), newSize); // same class: the block already fits
        }
        return SlabAllocator.super.reallocate(block, layout, newSize);
    }

    private MemorySegment allocateUnclassed(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling(); // the zero-size rule: nothing is allocated
        }
        MemorySegment block;
        try {
            block = parent.allocate(layout);
        } catch (AllocationException e) {
            throw new AllocationException(name(), layout, "large block: the parent allocator '" + parent.name()
                    + "' failed: " + e.getMessage(), e);
        }
        largeBytes.add(layout.size());
        return block;
    }

    private void deallocateUnclassed(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return; // the dangling block: nothing was allocated
        }
        parent.deallocate(block, layout);
        largeBytes.add(-layout.size());
    }

    @Override
    public String name() {
        return SlabProvider.NAME;
    }

    @Override
    public void trim() {
        // Misuse found on the way (a foreign block) is reported once everything else went back.
        IllegalStateException misuse = null;
        try {
            cache().flushAll();
        } catch (IllegalStateException e) {
            misuse = e;
        }
        reclaimDeadCaches();
        for (ClassPool pool : pools) {
            try {
                pool.trim();
            } catch (IllegalStateException e) {
                misuse = misuse == null ? e : misuse;
            }
        }
        if (misuse != null) {
            throw misuse;
        }
    }

    @Override
    public SlabStatistics statistics() {
        reclaimDeadCaches();
        long[] cached = new long[SizeClass.COUNT];
        synchronized (registryLock) {
            for (ThreadCache cache : registry) {
                for (int c = 0; c < SizeClass.COUNT; c++) {
                    cached[c] += cache.cached(c);
                }
            }
        }
        List<SlabStatistics.ClassStatistics> classes = new ArrayList<>();
        long inUse = 0;
        long cachedBytes = 0;
        long retained = 0;
        for (ClassPool pool : pools) {
            long[] counts = pool.counts();
            if (counts[0] == 0 && cached[pool.sizeClass] == 0) {
                continue;
            }
            cached[pool.sizeClass] += counts[3]; // the depot's blocks are cached too
            long blocksInUse = counts[2] - cached[pool.sizeClass];
            classes.add(new SlabStatistics.ClassStatistics(pool.blockSize, pool.slabBytes, counts[0], counts[1],
                    blocksInUse, cached[pool.sizeClass]));
            inUse += blocksInUse * pool.blockSize;
            cachedBytes += cached[pool.sizeClass] * pool.blockSize;
            retained += counts[0] * pool.slabBytes;
        }
        long large = largeBytes.sum();
        return new SlabStatistics(inUse + large, cachedBytes, retained + large, large, classes);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (registryLock) {
            // Forget what the caches hold, so that a later allocate refills and fails instead of handing
            // out memory that is gone (racy for threads still running, which close() forbids).
            registry.forEach(ThreadCache::clear);
            registry.clear();
        }
        java.util.Arrays.fill(byThread, null);
        for (ClassPool pool : pools) {
            pool.releaseAll();
        }
    }

    /** Throws if {@link #close()} was called; on the slow paths only. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator '" + name() + "' is closed; closed=true");
        }
    }

    @Override
    public String toString() {
        return "SlabAllocator[" + config + ", parent=" + parent.name() + ", slabs=" + slabCount.get() + "]";
    }

    /**
     * {@return the calling thread's cache} The common case is one array read indexed by the thread's id
     * and one compare; a thread whose slot another live thread holds falls back to the {@link ThreadLocal}.
     */
    private ThreadCache cache() {
        long tid = Thread.currentThread().threadId();
        ThreadCache[] table = byThread;
        ThreadCache cache = table[(int) tid & (table.length - 1)];
        if (cache != null && cache.tid == tid) {
            return cache;
        }
        return cacheSlow(tid);
    }

    private ThreadCache cacheSlow(long tid) {
        ThreadCache cache = caches.get();
        ThreadCache[] table = byThread;
        int slot = (int) tid & (table.length - 1);
        ThreadCache current = table[slot];
        if (current == null) {
            // A plain store: a reader sees null, this cache or another thread's, and checks the tid
            // (a final field, so the cache is safely published whichever it sees).
            table[slot] = cache;
        }
        return cache;
    }

    private ThreadCache newCache() {
        Thread thread = Thread.currentThread();
        ThreadCache cache = new ThreadCache(thread, this, thread.isVirtual() ? virtualCapacity : platformCapacity);
        boolean scan;
        synchronized (registryLock) {
            registry.add(cache);
            scan = registry.size() >= 2 * registrySizeAtScan;
        }
        if (scan) {
            reclaimDeadCaches();
        }
        return cache;
    }

    /** Flushes and forgets the caches whose thread has died. */
    void reclaimDeadCaches() {
        reclaimDue = false;
        List<ThreadCache> dead = new ArrayList<>();
        synchronized (registryLock) {
            for (Iterator<ThreadCache> it = registry.iterator(); it.hasNext(); ) {
                ThreadCache cache = it.next();
                Thread owner = cache.owner.get();
                // isAlive() false: the owner's last action happens-before this read (JLS 17.4.4), so its
                // cache is ours now. A cleared reference means the Thread was collected, so it had ended.
                if (owner == null || !owner.isAlive()) {
                    it.remove();
                    dead.add(cache);
                    int slot = (int) cache.tid & (byThread.length - 1);
                    if (byThread[slot] == cache) {
                        byThread[slot] = null;
                    }
                }
            }
            registrySizeAtScan = Math.max(8, registry.size());
        }
        for (ThreadCache cache : dead) {
            cache.flushAll();
        }
    }

    /** Called by a pool after it made a slab: memory grows, so it is time to look for dead caches. */
    void slabCreated() {
        slabCount.incrementAndGet();
        reclaimDue = true;
    }

    void slabReleased() {
        slabCount.decrementAndGet();
    }

    /** Called by thread caches every few slow paths, outside any lock: dead caches, the decay of empty slabs. */
    void housekeeping(long now) {
        if (reclaimDue) {
            reclaimDeadCaches();
        }
        long next = nextDecaySweep;
        if (now - next >= 0) {
            nextDecaySweep = now + Math.max(decayNanos, TimeUnit.MILLISECONDS.toNanos(10));
            for (ClassPool pool : pools) {
                pool.decay();
            }
        }
    }
}
