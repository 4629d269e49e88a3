package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Reallocation computes the tail padding as {@code alignment - size % alignment} (instead of taking it
 * modulo the alignment), so when the old size is a multiple of the alignment it counts a whole aligned
 * unit as padding and copies {@code alignment} bytes too few.
 *
 * <p>Shows when: {@code reallocate} of a block with {@code alignment >= 32} whose size is a multiple of
 * the alignment, to a new size above {@code size - alignment}. Below 32 (the malloc path) and for other
 * sizes it is right.
 */
public final class MultipleOfAlignmentReallocShort extends Forwarding {
    private static final long MALLOC_ALIGNMENT = 16;

    /** Creates it over {@code system}. */
    public MultipleOfAlignmentReallocShort() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public MultipleOfAlignmentReallocShort(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        long alignment = layout.alignment();
        if (alignment <= MALLOC_ALIGNMENT || layout.size() == 0 || newSize == 0) {
            return super.reallocate(block, layout, newSize);
        }
        long padding = alignment - layout.size() % alignment; // the bug: should be taken % alignment
        long payload = layout.padToAlign().size() - padding;
        MemorySegment moved = allocate(Layout.of(newSize, alignment));
        MemorySegment.copy(block, 0, moved, 0, Math.min(payload, newSize));
        deallocate(block, layout);
        return moved;
    }
}
