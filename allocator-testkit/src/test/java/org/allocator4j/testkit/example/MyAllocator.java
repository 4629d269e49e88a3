package org.allocator4j.testkit.example;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/** A custom allocator: keeps up to 64 freed blocks per layout for reuse, over the system allocator. */
public final class MyAllocator implements GlobalAllocator, AutoCloseable {
    private static final int KEPT_PER_LAYOUT = 64;
    private final GlobalAllocator system = GlobalAllocator.system();
    private final Map<Layout, Queue<MemorySegment>> freed = new ConcurrentHashMap<>();

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling(); // the zero-size rule: nothing is allocated
        }
        MemorySegment reused = cacheOf(layout).poll();
        if (reused != null) {
            return reused;
        }
        try {
            return system.allocate(layout);
        } catch (AllocationException e) {
            throw new AllocationException(name(), layout, e.getMessage(), e); // failures name this allocator
        }
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Queue<MemorySegment> cache = cacheOf(layout);
        if (cache.size() < KEPT_PER_LAYOUT) {
            cache.offer(block);
        } else {
            system.deallocate(block, layout);
        }
    }

    @Override
    public String name() {
        return "my-allocator";
    }

    /** Gives the kept blocks back to the system allocator. */
    @Override
    public void close() {
        freed.forEach((layout, cache) -> {
            for (MemorySegment block; (block = cache.poll()) != null; ) {
                system.deallocate(block, layout);
            }
        });
    }

    private Queue<MemorySegment> cacheOf(Layout layout) {
        return freed.computeIfAbsent(layout, l -> new ConcurrentLinkedQueue<>());
    }
}
