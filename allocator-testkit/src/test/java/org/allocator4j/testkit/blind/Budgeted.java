package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * An allocator with a byte budget of {@value #CAPACITY} bytes of live blocks over a parent: a request that
 * would take the live bytes over it fails. Subclasses get the exhaustion path wrong.
 */
public abstract class Budgeted extends Forwarding {
    /** The budget: the most bytes of live blocks at any time, 64 MiB. */
    public static final long CAPACITY = 64L << 20;
    /** Bytes of live blocks, plus whatever a bug forgot to give back. */
    protected final AtomicLong used = new AtomicLong();

    /**
     * Creates a budgeted allocator over {@code parent}.
     *
     * @param parent the allocator blocks come from
     */
    protected Budgeted(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return standard capabilities over a parent with the budget as {@code maxSize}} */
    public static Capabilities capabilities() {
        return Capabilities.standard().withMaxSize(CAPACITY).overParent();
    }

    /**
     * Reacts to a request that does not fit what is left of the budget; {@link #used} already counts it.
     *
     * @param layout the request
     * @param now    the live bytes counting the request
     * @return never normally: throws
     */
    protected abstract RuntimeException exhausted(Layout layout, long now);

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        if (size == 0) {
            return layout.dangling();
        }
        if (size > CAPACITY) {
            throw new AllocationException(name(), layout, "size=" + size + " exceeds the budget, capacity=" + CAPACITY);
        }
        long now = used.addAndGet(size);
        if (now > CAPACITY) {
            throw exhausted(layout, now);
        }
        try {
            return fromParent(layout);
        } catch (AllocationException e) {
            used.addAndGet(-size);
            throw e;
        }
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        parent.deallocate(block, layout);
        used.addAndGet(-layout.size());
    }
}
