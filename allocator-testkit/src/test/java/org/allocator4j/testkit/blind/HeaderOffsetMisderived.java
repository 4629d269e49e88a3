package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Puts a 4-byte size header in front of every block of alignment 4 or less (the block starts 4 bytes into
 * a base of the parent's), but finds a block's bytes again from its base with the 8-byte header of its
 * other size classes: where {@code reallocate} reads the old contents is not where the block's address
 * says they live, so the moved block gets the bytes from 4 bytes further on (the last 4 from the base's
 * slack). Blocks of larger alignment have no header and are right.
 *
 * <p>Shows when: {@code reallocate} of a non-empty block with {@code alignment <= 4}. Allocation, and
 * everything else, are right.
 */
public final class HeaderOffsetMisderived extends Carving {
    private static final long HEADER = 4;
    private static final long ASSUMED_HEADER = 8;
    private static final long SMALL_ALIGNMENT = 4;

    /** Creates it over {@code system}. */
    public HeaderOffsetMisderived() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public HeaderOffsetMisderived(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.alignment() <= SMALL_ALIGNMENT;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(ASSUMED_HEADER + layout.size(), 16); // room for either header: reads stay in the base
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        base.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) Math.min(layout.size(), Integer.MAX_VALUE));
        return HEADER;
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        MemorySegment base = layout.size() == 0 ? null : baseOf(block);
        if (base == null) {
            return super.reallocate(block, layout, newSize);
        }
        MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
        // the bug: the contents are taken from base + 8, where an 8-byte header would put them
        MemorySegment.copy(base, ASSUMED_HEADER, moved, 0, Math.min(layout.size(), newSize));
        deallocate(block, layout);
        return moved;
    }
}
