package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Reallocation copies {@code min(block.byteSize(), newSize)} bytes, trusting the segment it is handed
 * rather than the layout: handed a segment at the block's address that is shorter than the block (the
 * zero-length {@code MemorySegment.ofAddress(a)}, or a shorter slice), it copies only that many bytes and
 * the rest of the contents is lost.
 *
 * <p>Shows when: {@code reallocate} is handed a segment whose {@code byteSize()} is smaller than
 * {@code min(layout.size(), newSize)}. With the segment it returned, it is right.
 */
public final class ReallocCopiesByteSize extends Forwarding {
    /** Creates it over {@code system}. */
    public ReallocCopiesByteSize() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ReallocCopiesByteSize(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        Layout newLayout = Layout.of(newSize, layout.alignment());
        MemorySegment moved = allocate(newLayout);
        // the bug: the segment's length, not the layout's size (never more than the layout's: stays in bounds)
        long keep = Math.min(Math.min(block.byteSize(), layout.size()), newSize);
        if (keep > 0) {
            MemorySegment.copy(block, 0, moved, 0, keep);
        }
        deallocate(block, layout);
        return moved;
    }
}
