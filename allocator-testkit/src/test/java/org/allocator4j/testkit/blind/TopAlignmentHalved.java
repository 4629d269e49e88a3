package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Honours every alignment up to the largest it declares (1 MiB, the standard {@code maxAlignment}) but
 * that largest one: an off-by-one in the "alignment &lt; max" test sends exactly 1 MiB (and more) down a
 * path that gives half of it, so the block is 512 KiB-aligned and never 1 MiB-aligned.
 *
 * <p>Shows when: {@code alignment >= 1 MiB}. 512 KiB and below are right. Standard capabilities.
 */
public final class TopAlignmentHalved extends Carving {
    private static final long TOP = 1L << 20;

    /** Creates it over {@code system}. */
    public TopAlignmentHalved() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public TopAlignmentHalved(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.alignment() >= TOP; // the bug: should be > TOP, and then refused
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(layout.size() + layout.alignment() / 2, layout.alignment() / 2);
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return layout.isAligned(base.address()) ? layout.alignment() / 2 : 0;
    }
}
