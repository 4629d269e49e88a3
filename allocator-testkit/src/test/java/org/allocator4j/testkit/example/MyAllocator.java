package org.allocator4j.testkit.example;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/** A custom allocator: every block gets its own shared JDK arena, closed when the block is freed. */
public final class MyAllocator implements GlobalAllocator {
    private final Map<Long, Arena> arenas = new ConcurrentHashMap<>();

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling(); // the zero-size rule: nothing is allocated
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment block = arena.allocate(layout.size(), layout.alignment());
            arenas.put(block.address(), arena);
            return block;
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw new AllocationException(name(), layout, e.getMessage(), e);
        }
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        arenas.remove(block.address()).close();
    }

    @Override
    public String name() {
        return "my-allocator";
    }
}
