package org.allocator4j.testkit.blind;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A pool of 1024 slots that marks itself "full" when it runs out and never clears the mark (mimalloc's
 * page {@code in_full} flag left set): once exhausted, every later request fails with
 * {@link org.allocator4j.api.AllocationException}, even after every block was freed.
 *
 * <p>Shows when: more than 1024 blocks are live at once (genuine exhaustion), then anything is freed and
 * allocated again. Declares {@link SlotPool#capabilities()} (size and alignment up to 4096, over a parent).
 */
public final class StickyExhaustedPool extends SlotPool {
    private boolean full;

    /** Creates it over {@code system}. */
    public StickyExhaustedPool() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator the chunk comes from */
    public StickyExhaustedPool(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected int take(Layout layout) {
        int slot = full ? -1 : next(); // the bug: full is never cleared by a free
        if (slot < 0) {
            full = true;
            throw exhaustion(layout);
        }
        return slot;
    }
}
