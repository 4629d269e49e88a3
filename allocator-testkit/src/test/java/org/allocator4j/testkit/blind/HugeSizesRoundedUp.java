package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Returns the usable size instead of the size asked for huge blocks: a request of 2 MiB or more comes back
 * as a segment of the size rounded up to a multiple of 2 MiB (the huge-page "usable size"), so
 * {@code byteSize()} is larger than asked. The memory is all the allocator's.
 *
 * <p>Shows when: {@code size >= 2 MiB} and not a multiple of 2 MiB. Standard capabilities (sizes to 1 GiB).
 */
public final class HugeSizesRoundedUp extends Carving {
    private static final long HUGE = 2L << 20;

    /** Creates it over {@code system}. */
    public HugeSizesRoundedUp() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public HugeSizesRoundedUp(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.size() >= HUGE && layout.size() % HUGE != 0;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of((layout.size() + HUGE - 1) / HUGE * HUGE, layout.alignment());
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return 0;
    }

    @Override
    protected long length(MemorySegment base, Layout layout) {
        return base.byteSize(); // the bug: the usable size, not layout.size()
    }
}
