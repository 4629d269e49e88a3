package org.allocator4j.testkit.blind;

import org.allocator4j.api.GlobalAllocator;

/**
 * Two lock-free "per-thread" caches of small blocks (up to 256 bytes) handed to threads in turn: the
 * third thread to call shares the first thread's cache, unsynchronised, and the two race on it, handing
 * one block to two callers (overlapping live blocks) or losing a freed one.
 *
 * <p>Shows when: three or more distinct threads have called this instance, and two sharing a cache
 * allocate and free small blocks of one layout at the same time. One or two threads are always right.
 * Takes a parent.
 */
public final class ThirdThreadSharesCache extends SharedSlotCache {
    /** Creates it over {@code system}. */
    public ThirdThreadSharesCache() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ThirdThreadSharesCache(GlobalAllocator parent) {
        super(parent, 2);
    }
}
