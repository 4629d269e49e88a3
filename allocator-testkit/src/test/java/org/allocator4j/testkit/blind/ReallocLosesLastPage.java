package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@code reallocate} with a copy page by page whose loop stops one page early when the bytes to
 * keep are an exact multiple of 4096: it copies whole pages while {@code off + 4096 < keep} (not
 * {@code <=}) and then the tail only if {@code keep % 4096 != 0}, so the last page is lost.
 *
 * <p>Shows when: {@code reallocate} where {@code min(layout.size(), newSize)} is a positive multiple of
 * 4096 (4096, 8192, ...). Other sizes are copied right.
 */
public final class ReallocLosesLastPage extends Forwarding {
    private static final long PAGE = 4096;

    /** Creates it over {@code system}. */
    public ReallocLosesLastPage() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ReallocLosesLastPage(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
        long keep = Math.min(layout.size(), newSize);
        long off = 0;
        for (; off + PAGE < keep; off += PAGE) { // the bug: < instead of <=
            MemorySegment.copy(block, off, moved, off, PAGE);
        }
        if (keep % PAGE != 0) {
            MemorySegment.copy(block, off, moved, off, keep - off);
        }
        if (layout.size() > 0) {
            deallocate(block, layout);
        }
        return moved;
    }
}
