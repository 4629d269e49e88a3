package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A "one aligned unit" fast path that forgets the alignment: when the size equals the alignment and the
 * alignment is 32 or more, the block is placed 16 bytes past an aligned address (malloc's alignment,
 * not the one asked).
 *
 * <p>Shows when: {@code size == alignment >= 32}. A size of twice the alignment, or any other pairing, is
 * right.
 */
public final class SizeEqualsAlignmentOff16 extends Carving {
    private static final long MALLOC_ALIGNMENT = 16;

    /** Creates it over {@code system}. */
    public SizeEqualsAlignmentOff16() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public SizeEqualsAlignmentOff16(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.size() == layout.alignment() && layout.alignment() > MALLOC_ALIGNMENT;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(2 * layout.size(), layout.alignment());
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return MALLOC_ALIGNMENT;
    }
}
