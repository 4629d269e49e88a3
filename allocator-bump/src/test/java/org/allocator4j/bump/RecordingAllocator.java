package org.allocator4j.bump;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A parent for arenas under test: the system allocator, recording every live chunk, refusing requests
 * once {@link #failNext} is set, and checking that each chunk comes back with its own layout exactly once.
 */
final class RecordingAllocator implements GlobalAllocator {
    final Map<Long, Layout> live = new LinkedHashMap<>();
    int allocations;
    int deallocations;
    boolean failNext;

    @Override
    public MemorySegment allocate(Layout layout) {
        if (failNext) {
            failNext = false;
            throw new AllocationException(name(), layout, "refused by the test");
        }
        MemorySegment block = GlobalAllocator.system().allocate(layout);
        allocations++;
        live.put(block.address(), layout);
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        Layout was = live.remove(block.address());
        if (!layout.equals(was)) {
            throw new AssertionError("chunk at " + block.address() + " freed with " + layout
                    + ", allocated with " + was);
        }
        deallocations++;
        GlobalAllocator.system().deallocate(block, layout);
    }

    long liveBytes() {
        return live.values().stream().mapToLong(Layout::size).sum();
    }

    @Override
    public String name() {
        return "recording";
    }
}
