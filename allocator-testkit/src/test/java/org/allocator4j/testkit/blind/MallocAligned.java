package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Carves the blocks its subclass chooses (through {@link #carved(Layout)}) at malloc's 16-byte alignment
 * and never more: a block asked with a larger alignment is placed 16 bytes past a base that happens to be
 * aligned, so it is misaligned every time, not by chance.
 */
public abstract class MallocAligned extends Carving {
    /** The alignment of every {@code malloc} result. */
    protected static final long MALLOC_ALIGNMENT = 16;

    /**
     * Creates it over {@code parent}.
     *
     * @param parent the allocator bases come from
     */
    protected MallocAligned(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return false; // allocate is right; only the subclass's broken path carves
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(layout.size() + MALLOC_ALIGNMENT, MALLOC_ALIGNMENT);
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return layout.isAligned(base.address()) ? MALLOC_ALIGNMENT : 0;
    }
}
