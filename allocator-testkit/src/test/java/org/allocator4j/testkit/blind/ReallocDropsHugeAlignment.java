package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Reallocates blocks of huge alignment as plain {@code realloc} does: a block aligned to 128 KiB or more
 * is moved to a new block aligned only to malloc's 16 bytes, so the reallocated block has lost its
 * alignment (the classic "realloc does not keep memalign's alignment" bug). Allocation itself is right.
 *
 * <p>Shows when: {@code reallocate} of a non-empty block with {@code alignment >= 128 KiB} to a non-zero
 * size. Standard capabilities (alignments to 1 MiB).
 */
public final class ReallocDropsHugeAlignment extends MallocAligned {
    private static final long HUGE_ALIGNMENT = 128 << 10;

    /** Creates it over {@code system}. */
    public ReallocDropsHugeAlignment() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ReallocDropsHugeAlignment(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (layout.alignment() < HUGE_ALIGNMENT || layout.size() == 0 || newSize == 0) {
            return super.reallocate(block, layout, newSize);
        }
        MemorySegment moved = carved(Layout.of(newSize, layout.alignment())); // the bug: 16-aligned only
        MemorySegment.copy(block, 0, moved, 0, Math.min(layout.size(), newSize));
        deallocate(block, layout);
        return moved;
    }
}
