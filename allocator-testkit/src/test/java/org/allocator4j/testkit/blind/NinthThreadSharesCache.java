package org.allocator4j.testkit.blind;

import org.allocator4j.api.GlobalAllocator;

/**
 * Eight lock-free "per-thread" caches of small blocks (up to 256 bytes) handed to threads in turn: the
 * ninth thread to call shares the first thread's cache, unsynchronised, and the two race on it, handing
 * one block to two callers (overlapping live blocks) or losing a freed one.
 *
 * <p>Shows when: nine or more distinct threads have called this instance (the calling test thread
 * counts), and two sharing a cache allocate and free small blocks of one layout at the same time. Up to
 * eight threads it is right. Takes a parent.
 */
public final class NinthThreadSharesCache extends SharedSlotCache {
    /** Creates it over {@code system}. */
    public NinthThreadSharesCache() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public NinthThreadSharesCache(GlobalAllocator parent) {
        super(parent, 8);
    }
}
