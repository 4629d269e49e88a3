package org.allocator4j.tracking;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/**
 * Thrown when a request would take a byte budget over its limit: the allocator's own budget
 * ({@link Tracking.Builder#budget(long)}) or a {@link BudgetScope}'s, or any scope above it. The request
 * is not forwarded; the allocator and the scope stay usable.
 */
public class BudgetExceededException extends AllocationException {
    private static final long serialVersionUID = 1L;

    /** @serial the name of the budget that was exceeded */
    private final String budget;
    /** @serial its limit in bytes */
    private final long limit;
    /** @serial its use in bytes before the request */
    private final long used;

    /**
     * Creates an exception whose reason is
     * {@code "budget '<budget>' exceeded: limit=<limit>, used=<used>, requested=<size>"}.
     *
     * @param allocatorName the allocator that refused the request
     * @param layout        the layout requested
     * @param budget        the name of the budget exceeded
     * @param limit         its limit in bytes
     * @param used          its use before the request, in bytes
     * @param requested     the bytes the request would have added
     */
    public BudgetExceededException(String allocatorName, Layout layout, String budget, long limit, long used,
                                   long requested) {
        super(allocatorName, layout, "budget '" + budget + "' exceeded: limit=" + limit + ", used=" + used
                + ", requested=" + requested);
        this.budget = budget;
        this.limit = limit;
        this.used = used;
    }

    /** {@return the name of the budget that was exceeded} */
    public String budget() {
        return budget;
    }

    /** {@return the budget's limit in bytes} */
    public long limit() {
        return limit;
    }

    /** {@return the budget's use in bytes before the request} */
    public long used() {
        return used;
    }
}
