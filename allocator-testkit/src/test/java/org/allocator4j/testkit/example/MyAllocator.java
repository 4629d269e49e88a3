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
    private final Map<Layout, Queue<Long>> freed = new ConcurrentHashMap<>();

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling(); // the zero-size rule: nothing is allocated
        }
        Long reused = cacheOf(layout).poll();
        if (reused != null) {
            return block(reused, layout);
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
        Queue<Long> cache = cacheOf(layout);
        if (cache.size() < KEPT_PER_LAYOUT) {
            cache.offer(block.address()); // only the address: the caller may pass a segment re-derived from it
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
            for (Long address; (address = cache.poll()) != null; ) {
                system.deallocate(MemorySegment.ofAddress(address), layout);
            }
        });
    }

    private Queue<Long> cacheOf(Layout layout) {
        return freed.computeIfAbsent(layout, l -> new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("restricted")
    private static MemorySegment block(long address, Layout layout) {
        // SAFETY: address is a kept block of layout.size() bytes from system, handed to no one else.
        return MemorySegment.ofAddress(address).reinterpret(layout.size());
    }
}
