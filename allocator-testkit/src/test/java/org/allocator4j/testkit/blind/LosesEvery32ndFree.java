package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Drops one free in 32: every 32nd {@code deallocate} of a non-empty block (counted over the instance,
 * reallocations' frees included) returns without giving the block back, and nothing gives it back later,
 * not even {@code close}. A lost-wakeup in a remote-free queue looks like this from outside.
 *
 * <p>Shows when: 32 or more blocks are freed; the parent (or the process) then holds about 1/32 of
 * everything freed. Takes a parent.
 */
public final class LosesEvery32ndFree extends Forwarding {
    private static final int ONE_IN = 32;
    private final AtomicLong frees = new AtomicLong();

    /** Creates it over {@code system}. */
    public LosesEvery32ndFree() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public LosesEvery32ndFree(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (frees.incrementAndGet() % ONE_IN == 0) {
            return; // the bug: lost
        }
        parent.deallocate(block, layout);
    }
}
