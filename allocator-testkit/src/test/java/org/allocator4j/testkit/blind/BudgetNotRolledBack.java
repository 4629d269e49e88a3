package org.allocator4j.testkit.blind;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A 64 MiB byte budget whose exhaustion path forgets to give back the bytes it reserved for the failing
 * request: each genuine exhaustion (a request that fits the budget but not what is left) shrinks the
 * budget for good by that request's size, so after everything is freed the allocator still refuses
 * requests it has room for. Requests larger than the whole budget are rolled back correctly.
 *
 * <p>Shows when: live blocks fill the budget, a request fails, everything is freed, and then about
 * {@code CAPACITY - failed size} bytes or more are asked again. Declares
 * {@link Budgeted#capabilities()} (maxSize = capacity, over a parent).
 */
public final class BudgetNotRolledBack extends Budgeted {
    /** Creates it over {@code system}. */
    public BudgetNotRolledBack() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public BudgetNotRolledBack(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected RuntimeException exhausted(Layout layout, long now) {
        // the bug: used keeps the request's bytes
        return new AllocationException(name(), layout, "budget exhausted: used=" + (now - layout.size())
                + ", capacity=" + CAPACITY);
    }
}
