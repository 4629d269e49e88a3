package org.allocator4j.testkit;

/**
 * What {@link org.allocator4j.api.GlobalAllocator#deallocate deallocate} does with a block, as an
 * allocator declares it in its {@link Capabilities}.
 */
public enum Freeing {
    /** Every deallocation makes the block's memory reusable (libc, slab). */
    INDIVIDUALLY,
    /**
     * Only the most recently allocated live block is reclaimed by its deallocation; other deallocations do
     * nothing until the allocator is reset or closed (a bump arena).
     */
    LAST_ONLY,
    /** Deallocation does nothing; memory comes back only on reset or close, or never (a global bump). */
    ON_RESET_ONLY
}
