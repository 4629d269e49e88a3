package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Hands out a kept block of the layout asked when it has one, else the parent's; subclasses decide what
 * they keep. {@link #close()} gives every kept block back.
 */
public abstract class Caching extends Forwarding implements AutoCloseable {
    /** The kept blocks. */
    protected final LayoutCache cache = new LayoutCache();

    /**
     * Creates it over {@code parent}.
     *
     * @param parent the allocator blocks come from
     */
    protected Caching(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment kept = layout.size() > 0 ? cache.poll(layout) : null;
        return kept != null ? kept : fromParent(layout);
    }

    /**
     * Keeps {@code block} if fewer than {@code most} blocks of its layout are kept, else gives it back.
     *
     * @param most   the most blocks of one layout kept
     * @param block  a freed, non-empty block
     * @param layout its layout
     */
    protected final void keepAtMost(int most, MemorySegment block, Layout layout) {
        synchronized (cache) {
            if (cache.size(layout) < most) {
                cache.push(layout, block);
                return;
            }
        }
        parent.deallocate(block, layout);
    }

    /** Gives the kept blocks back to the parent. */
    @Override
    public void close() {
        cache.drainTo(parent);
    }
}
