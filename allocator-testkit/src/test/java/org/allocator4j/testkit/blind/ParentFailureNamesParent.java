package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Rejects sizes above 1 GiB itself, naming itself, but passes a failure of its parent (genuine exhaustion
 * of a limited parent, or a parent failing on purpose) through unchanged, so the exception names the
 * parent and not this allocator.
 *
 * <p>Shows when: the parent fails a request this allocator did not reject up front: a limited or failing
 * parent. Over {@code system} with impossible sizes it looks right. Takes a parent (standard
 * capabilities plus {@code overParent()}).
 */
public final class ParentFailureNamesParent extends Forwarding {
    private static final long MAX_SIZE = 1L << 30;

    /** Creates it over {@code system}. */
    public ParentFailureNamesParent() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ParentFailureNamesParent(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() > MAX_SIZE) {
            throw new AllocationException(name(), layout, "size=" + layout.size() + " exceeds maxSize=" + MAX_SIZE);
        }
        return parent.allocate(layout); // the bug: the parent's exception, naming the parent
    }
}
