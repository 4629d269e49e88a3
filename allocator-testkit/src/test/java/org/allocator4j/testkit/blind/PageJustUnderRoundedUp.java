package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Rounds a request just under a page at page alignment up to the page: a size from 4033 to 4095 bytes at
 * an alignment of 4096 or more comes back as a 4096-byte segment (the usable size of a page-class block),
 * so {@code byteSize()} is larger than asked. The memory is all the allocator's.
 *
 * <p>Shows when: {@code 4032 < size < 4096} and {@code alignment >= 4096}.
 */
public final class PageJustUnderRoundedUp extends Carving {
    private static final long PAGE = 4096;
    private static final long SLACK = 64;

    /** Creates it over {@code system}. */
    public PageJustUnderRoundedUp() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public PageJustUnderRoundedUp(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.alignment() >= PAGE && layout.size() > PAGE - SLACK && layout.size() < PAGE;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(PAGE, layout.alignment());
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return 0;
    }

    @Override
    protected long length(MemorySegment base, Layout layout) {
        return PAGE; // the bug: the page, not layout.size()
    }
}
