package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Shrinking moves the contents to a new, smaller block and forgets to free the old one (the grow path
 * frees it).
 *
 * <p>Shows when: {@code reallocate} to a size smaller than the block's but not 0; the old block is never
 * given back. Growing, and reallocating to 0, are right. Takes a parent.
 */
public final class ShrinkLeaksOldBlock extends Forwarding {
    /** Creates it over {@code system}. */
    public ShrinkLeaksOldBlock() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ShrinkLeaksOldBlock(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (newSize == 0 || newSize >= layout.size()) {
            return super.reallocate(block, layout, newSize);
        }
        MemorySegment smaller = allocate(Layout.of(newSize, layout.alignment()));
        MemorySegment.copy(block, 0, smaller, 0, newSize);
        return smaller; // the bug: block is not freed
    }
}
