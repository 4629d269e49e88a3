package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/** Freed blocks kept per layout for reuse (most recently freed first); thread-safe. */
final class LayoutCache {
    private final Map<Layout, ArrayDeque<MemorySegment>> blocks = new HashMap<>();

    /** {@return a kept block of {@code layout}, or null} @param layout the layout */
    synchronized MemorySegment poll(Layout layout) {
        ArrayDeque<MemorySegment> kept = blocks.get(layout);
        return kept == null ? null : kept.pollFirst();
    }

    /** {@return the most recently kept block of {@code layout}, left in place, or null} @param layout the layout */
    synchronized MemorySegment peek(Layout layout) {
        ArrayDeque<MemorySegment> kept = blocks.get(layout);
        return kept == null ? null : kept.peekFirst();
    }

    /** {@return how many blocks of {@code layout} are kept} @param layout the layout */
    synchronized int size(Layout layout) {
        ArrayDeque<MemorySegment> kept = blocks.get(layout);
        return kept == null ? 0 : kept.size();
    }

    /**
     * Keeps {@code block}.
     *
     * @param layout the layout it is kept under
     * @param block  the block
     */
    synchronized void push(Layout layout, MemorySegment block) {
        blocks.computeIfAbsent(layout, l -> new ArrayDeque<>()).addFirst(block);
    }

    /**
     * Gives every kept block back to {@code parent} with the layout it is kept under, and forgets them.
     *
     * @param parent the allocator they came from
     */
    synchronized void drainTo(GlobalAllocator parent) {
        blocks.forEach((layout, kept) -> kept.forEach(block -> parent.deallocate(block, layout)));
        blocks.clear();
    }
}
