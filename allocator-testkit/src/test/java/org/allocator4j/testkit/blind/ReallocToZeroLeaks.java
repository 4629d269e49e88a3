package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Reallocating a block to size 0 returns the dangling segment without freeing the old block (the
 * {@code realloc(p, 0)} ambiguity resolved as "allocate nothing", forgetting the "free" half).
 *
 * <p>Shows when: {@code reallocate(block, layout, 0)} of a non-empty block; the block is never given back.
 * Takes a parent.
 */
public final class ReallocToZeroLeaks extends Forwarding {
    /** Creates it over {@code system}. */
    public ReallocToZeroLeaks() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ReallocToZeroLeaks(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (newSize == 0) {
            return Layout.of(0, layout.alignment()).dangling(); // the bug: block is not freed
        }
        return super.reallocate(block, layout, newSize);
    }
}
