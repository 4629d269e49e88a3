package org.allocator4j.testkit.blind;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A 64 MiB byte budget that reports genuine exhaustion with an {@link IllegalStateException} instead of an
 * {@link org.allocator4j.api.AllocationException} (it does roll the reservation back, and stays usable).
 * Requests larger than the whole budget, and failures of the parent, throw the right exception.
 *
 * <p>Shows when: live blocks fill the budget and one more request that would fit an empty budget is made.
 * Declares {@link Budgeted#capabilities()}.
 */
public final class ExhaustionThrowsIllegalState extends Budgeted {
    /** Creates it over {@code system}. */
    public ExhaustionThrowsIllegalState() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ExhaustionThrowsIllegalState(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected RuntimeException exhausted(Layout layout, long now) {
        used.addAndGet(-layout.size());
        return new IllegalStateException("budget exhausted: used=" + (now - layout.size()) + ", capacity=" + CAPACITY
                + ", requested " + layout); // the bug: the wrong type
    }
}
