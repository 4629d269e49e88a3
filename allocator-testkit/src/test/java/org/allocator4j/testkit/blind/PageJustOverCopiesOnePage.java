package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Reallocation of a page-aligned block just over a page copies one page: a block of 4097 to 4160 bytes at
 * an alignment of 4096 or more keeps only its first 4096 bytes when moved (the copy assumes page-class
 * blocks are one page).
 *
 * <p>Shows when: {@code reallocate} of a block with {@code alignment >= 4096}, {@code 4096 < size <= 4160},
 * to a new size above 4096. Allocation, and reallocation of any other block, are right.
 */
public final class PageJustOverCopiesOnePage extends Forwarding {
    private static final long PAGE = 4096;
    private static final long SLACK = 64;

    /** Creates it over {@code system}. */
    public PageJustOverCopiesOnePage() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public PageJustOverCopiesOnePage(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        long size = layout.size();
        if (layout.alignment() < PAGE || size <= PAGE || size > PAGE + SLACK || newSize == 0) {
            return super.reallocate(block, layout, newSize);
        }
        MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
        MemorySegment.copy(block, 0, moved, 0, Math.min(PAGE, newSize)); // the bug: one page, not min(size, newSize)
        deallocate(block, layout);
        return moved;
    }
}
