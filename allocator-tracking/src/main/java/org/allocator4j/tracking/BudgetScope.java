package org.allocator4j.tracking;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;

/**
 * A byte budget within a tracking allocator's, as an allocator: what it allocates is charged to it and to
 * every scope above it, up to the tracking allocator's own budget. A request that would take any of them
 * over its limit throws {@link BudgetExceededException} naming that budget.
 *
 * <p>Blocks must be freed through the scope that allocated them: the scope knows its blocks, and a block
 * it does not know is a {@link AllocatorMisuseException.Kind#FOREIGN_BLOCK}, forwarded nowhere.
 *
 * @implNote Thread-safe; each scope keeps a concurrent map of its live blocks.
 */
public interface BudgetScope extends GlobalAllocator, AutoCloseable {

    /** {@return the scope's limit in bytes} */
    long limit();

    /** {@return the bytes charged to it now (its blocks and its child scopes' blocks)} */
    long used();

    /**
     * Opens a child scope, charged to this one.
     *
     * @param name  the child's name
     * @param limit its limit in bytes
     * @return the child
     * @throws IllegalArgumentException  if {@code limit < 0}
     * @throws AllocatorMisuseException if this scope is closed ({@code SCOPE})
     */
    BudgetScope openScope(String name, long limit);

    /** {@return this scope's own live blocks grouped by site (sites as the tracking allocator records them)} */
    LeakReport leaks();

    /**
     * Closes the scope: it allocates nothing more. Blocks still live stay charged and may still be freed
     * through it.
     *
     * @throws LeakException            if blocks of this scope are still live; the scope is closed anyway
     * @throws AllocatorMisuseException if it is already closed, or a child scope is still open ({@code SCOPE})
     */
    @Override
    void close();
}
