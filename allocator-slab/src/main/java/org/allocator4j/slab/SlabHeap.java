package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The slab allocator: size classes served by caches over per-class slab pools, large blocks by the parent.
 *
 * <p>Fast path of a platform thread: {@link SizeClass#of} (a table lookup), the thread's own cache from
 * an array indexed by its thread id ({@link PlatformCaches}), a pop or push on its stack, and a slice of
 * one global segment; no lock, no CAS, no native call, no allocation that escapes. A virtual thread
 * claims one of a few shared caches by CAS around the operation instead ({@link SharedCaches}), so a
 * million virtual threads cost what the carriers running them cost.
 *
 * <p>With {@link SlabConfig#checkFrees()} on, frees are checked ({@link FreeCheck}): a free that is not
 * the start of a live block of its layout's class throws before anything changes.
 */
final class SlabHeap implements SlabAllocator {
    final GlobalAllocator parent;
    final SlabMap slabs = new SlabMap();
    final ClassPool[] pools;
    final long decayNanos;
    private final SlabConfig config;
    private final PlatformCaches platformCaches;
    private final SharedCaches sharedCaches;
    /** The free check, or null when {@link SlabConfig#checkFrees()} is off. */
    private final FreeCheck check;

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
        int[] capacity = new int[SizeClass.COUNT];
        for (int c = 0; c < SizeClass.COUNT; c++) {
            capacity[c] = config.cacheCapacityOf(c);
            pools[c] = new ClassPool(c, config.slabBytesOf(c), Math.max(1, capacity[c] >>> 1), this);
        }
        this.platformCaches = new PlatformCaches(this, capacity);
        int stripes = SharedCaches.defaultStripes();
        this.sharedCaches = new SharedCaches(this, capacity, stripes, 4 * stripes);
        this.check = config.checkFrees() ? new FreeCheck(SlabProvider.NAME, slabs, pools) : null;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        int c = SizeClass.of(size, layout.alignment());
        if (c < 0) {
            return allocateUnclassed(layout);
        }
        Thread thread = Thread.currentThread();
        long tid = thread.threadId();
        ThreadCache cache = platformCaches.lookup(tid);
        if (cache == null) {
            if (thread.isVirtual()) {
                return NativeMemory.segment(allocateShared(c, layout, tid), size);
            }
            cache = platformCaches.current(tid);
        }
        long address = cache.pop(c);
        if (address == 0) {
            address = cache.refillAndPop(c, layout);
        }
        if (check != null) {
            FreeCheck.unmark(address);
        }
        return NativeMemory.segment(address, size);
    }

    private long allocateShared(int c, Layout layout, long tid) {
        long address = sharedCaches.allocate(c, layout, tid);
        if (check != null) {
            FreeCheck.unmark(address);
        }
        return address;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        int c = SizeClass.of(layout.size(), layout.alignment());
        if (c < 0) {
            deallocateUnclassed(block, layout);
            return;
        }
        long address = block.address();
        if (check != null) {
            check.checkAndMark(address, c, layout);
        }
        Thread thread = Thread.currentThread();
        long tid = thread.threadId();
        ThreadCache cache = platformCaches.lookup(tid);
        if (cache == null) {
            if (thread.isVirtual()) {
                sharedCaches.deallocate(c, address, tid);
                return;
            }
            cache = platformCaches.current(tid);
        }
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
        // Misuse found on the way (a foreign block, with the free check off) is reported once everything
        // else went back.
        IllegalStateException misuse = null;
        Thread thread = Thread.currentThread();
        try {
            if (!thread.isVirtual()) {
                platformCaches.current(thread.threadId()).flushAll();
            }
        } catch (IllegalStateException e) {
            misuse = e;
        }
        misuse = firstOf(misuse, this::reclaimDeadCaches);
        IllegalStateException[] shared = {null};
        sharedCaches.forEachClaimed(cache -> shared[0] = firstOf(shared[0], cache::flushAll));
        misuse = misuse == null ? shared[0] : misuse;
        for (ClassPool pool : pools) {
            misuse = firstOf(misuse, pool::trim);
        }
        if (misuse != null) {
            throw misuse;
        }
    }

    /** Runs {@code action}; {@return {@code first} if not null, else what {@code action} threw (or null)} */
    private static IllegalStateException firstOf(IllegalStateException first, Runnable action) {
        try {
            action.run();
        } catch (IllegalStateException e) {
            return first == null ? e : first;
        }
        return first;
    }

    @Override
    public SlabStatistics statistics() {
        reclaimDeadCaches();
        long[] cached = new long[SizeClass.COUNT];
        java.util.function.Consumer<ThreadCache> count = cache -> {
            for (int c = 0; c < SizeClass.COUNT; c++) {
                cached[c] += cache.cached(c);
            }
        };
        platformCaches.forEach(count);
        sharedCaches.forEach(count);
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
            // Exact at rest; under load the counters are read one after another, so clamp the difference.
            long blocksInUse = Math.max(0, counts[2] - cached[pool.sizeClass]);
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
        // Forget what the caches hold, so that a later allocate refills and fails instead of handing out
        // memory that is gone (racy for threads still running, which close() forbids).
        platformCaches.clear();
        sharedCaches.clear();
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
     * Flushes and forgets the caches of platform threads that have died.
     *
     * @throws IllegalStateException after every dead cache was flushed, if one held a foreign block
     */
    void reclaimDeadCaches() {
        reclaimDue = false;
        platformCaches.reclaimDead();
    }

    /** {@return the number of platform-thread caches registered (live threads and dead ones not yet reclaimed)} */
    int platformCacheCount() {
        return platformCaches.size();
    }

    /** {@return the number of caches virtual threads share now} */
    int sharedCacheCount() {
        return sharedCaches.size();
    }

    /** {@return the most caches virtual threads share} */
    int sharedCacheBound() {
        return sharedCaches.maxStripes();
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
