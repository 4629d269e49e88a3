package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Forwards every request to a parent ({@code system} unless one is given); each entry overrides what it
 * breaks. Failures of the parent are rethrown naming this allocator.
 */
public abstract class Forwarding implements GlobalAllocator {
    /** The allocator every block comes from and goes back to. */
    protected final GlobalAllocator parent;

    /**
     * Creates an allocator over {@code parent}.
     *
     * @param parent the allocator blocks come from
     */
    protected Forwarding(GlobalAllocator parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        return fromParent(layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        parent.deallocate(block, layout);
    }

    @Override
    public String name() {
        return "blind-" + getClass().getSimpleName();
    }

    /**
     * {@return a block of the parent's, a failure rethrown naming this allocator}
     *
     * @param layout the layout to ask the parent for
     */
    protected final MemorySegment fromParent(Layout layout) {
        try {
            return parent.allocate(layout);
        } catch (AllocationException e) {
            throw new AllocationException(name(), layout, e.getMessage(), e);
        }
    }
}
