package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Blocks on the Java heap (a {@code long[]} each, freed by the garbage collector): what the warm-up replays
 * on, so that it warms the replay code without leaving memory in any strategy that is measured later.
 * Heap segments are aligned to 8 bytes at most in real memory, but their {@code address()} is an offset
 * from 0, which the replay's alignment check accepts; nothing else relies on it.
 */
public final class HeapAllocator implements GlobalAllocator {
    /** Creates the allocator; it holds no state. */
    public HeapAllocator() {
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        return MemorySegment.ofArray(new long[Math.toIntExact((layout.size() + 7) / 8)]).asSlice(0, layout.size());
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        // the garbage collector frees it
    }

    @Override
    public String name() {
        return "warm-up (java heap)";
    }
}
