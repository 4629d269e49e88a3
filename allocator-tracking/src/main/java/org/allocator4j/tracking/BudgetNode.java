package org.allocator4j.tracking;

import java.util.concurrent.atomic.AtomicLong;

import org.allocator4j.api.Layout;

/**
 * One byte budget in a tree: a request charged to a node is charged to it and every ancestor, and fails
 * without charging anything if one of them would go over its limit (as Arrow's child allocators).
 */
final class BudgetNode {
    final String name;
    final long limit;
    final BudgetNode parent;
    private final AtomicLong used = new AtomicLong();

    BudgetNode(String name, long limit, BudgetNode parent) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit=" + limit + " for budget '" + name + "'; expected limit >= 0");
        }
        this.name = name;
        this.limit = limit;
        this.parent = parent;
    }

    long used() {
        return used.get();
    }

    /**
     * Charges {@code bytes} to this node and its ancestors.
     *
     * @throws BudgetExceededException naming the first node that would go over; nothing is charged
     */
    void reserve(long bytes, String allocatorName, Layout layout) {
        for (BudgetNode node = this; node != null; node = node.parent) {
            long before = node.used.get();
            while (true) {
                if (bytes > node.limit - before) {
                    for (BudgetNode undo = this; undo != node; undo = undo.parent) {
                        undo.used.addAndGet(-bytes);
                    }
                    TrackingEvents.budgetExceeded(allocatorName, node.name, node.limit, before, bytes);
                    throw new BudgetExceededException(allocatorName, layout, node.name, node.limit, before, bytes);
                }
                long witness = node.used.compareAndExchange(before, before + bytes);
                if (witness == before) {
                    break;
                }
                before = witness;
            }
        }
    }

    /** Returns {@code bytes} to this node and its ancestors. */
    void release(long bytes) {
        for (BudgetNode node = this; node != null; node = node.parent) {
            node.used.addAndGet(-bytes);
        }
    }
}
