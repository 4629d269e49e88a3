package org.allocator4j.testkit.blind;

import java.lang.foreign.SegmentAllocator;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@link #asSegmentAllocator()} with an adapter that asks for malloc's 16-byte alignment
 * whatever {@code byteAlignment} says, so a segment from the adapter aligned to more than 16 bytes is
 * misaligned (it is placed 16 bytes off an aligned address). {@code allocate} itself is right.
 *
 * <p>Shows when: {@code asSegmentAllocator().allocate(size, alignment)} with {@code alignment > 16} and
 * {@code size > 0}; such segments are freed right with {@code deallocate(segment, Layout.of(size,
 * alignment))}.
 */
public final class SegmentAllocatorIgnoresAlignment extends MallocAligned {
    /** Creates it over {@code system}. */
    public SegmentAllocatorIgnoresAlignment() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public SegmentAllocatorIgnoresAlignment(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public SegmentAllocator asSegmentAllocator() {
        return (byteSize, byteAlignment) -> {
            Layout layout = Layout.of(byteSize, byteAlignment);
            return layout.size() == 0 || layout.alignment() <= MALLOC_ALIGNMENT ? allocate(layout) : carved(layout);
        };
    }
}
