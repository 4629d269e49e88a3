package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Per-thread caches without locks, on the assumption that each belongs to one thread; but there are only
 * a fixed number of them, handed to threads in turn as they first call, so once more threads than caches
 * have called, two threads share one cache and race on it: one block handed to two callers, or a freed
 * block lost.
 */
public abstract class SharedSlotCache extends RacyCaching {
    private final List<Map<Layout, RacyStack>> caches = new ArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ThreadLocal<Map<Layout, RacyStack>> mine = new ThreadLocal<>();

    /**
     * Creates it with {@code count} caches over {@code parent}.
     *
     * @param parent the allocator blocks come from
     * @param count  the number of caches
     */
    protected SharedSlotCache(GlobalAllocator parent, int count) {
        super(parent);
        for (int i = 0; i < count; i++) {
            caches.add(new ConcurrentHashMap<>());
        }
    }

    private RacyStack stack(Layout layout) {
        Map<Layout, RacyStack> cache = mine.get();
        if (cache == null) {
            cache = caches.get(threads.getAndIncrement() % caches.size()); // the bug: shared once threads > caches
            mine.set(cache);
        }
        return cache.computeIfAbsent(layout, l -> new RacyStack());
    }

    @Override
    protected MemorySegment take(Layout layout) {
        return stack(layout).pop();
    }

    @Override
    protected boolean give(Layout layout, MemorySegment block) {
        return stack(layout).push(block);
    }
}
