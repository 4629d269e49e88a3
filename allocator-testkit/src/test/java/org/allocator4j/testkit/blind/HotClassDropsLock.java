package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A central cache of small blocks (up to 256 bytes), one stack per layout under its own lock, taken with
 * a bounded spin: after 16 failed {@code tryLock}s ("the holder must have died") the thread goes ahead
 * without the lock. Under light contention it is right; when many threads hammer one layout, some give up
 * waiting and race on the stack, handing one block to two callers or losing a freed one.
 *
 * <p>Shows when: threads allocate and free small blocks of the same layout at once, enough that a lock
 * holder is descheduled while another spins (more runnable threads than cores helps; two threads can be
 * enough, eight on two cores show it at once). Takes a parent.
 */
public final class HotClassDropsLock extends RacyCaching {
    private static final int SPINS = 16;

    private static final class Guarded {
        final ReentrantLock lock = new ReentrantLock();
        final RacyStack stack = new RacyStack();
    }

    private final Map<Layout, Guarded> central = new ConcurrentHashMap<>();

    /** Creates it over {@code system}. */
    public HotClassDropsLock() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public HotClassDropsLock(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected MemorySegment take(Layout layout) {
        Guarded guarded = central.computeIfAbsent(layout, l -> new Guarded());
        boolean locked = lock(guarded);
        try {
            return guarded.stack.pop();
        } finally {
            if (locked) {
                guarded.lock.unlock();
            }
        }
    }

    @Override
    protected boolean give(Layout layout, MemorySegment block) {
        Guarded guarded = central.computeIfAbsent(layout, l -> new Guarded());
        boolean locked = lock(guarded);
        try {
            return guarded.stack.push(block);
        } finally {
            if (locked) {
                guarded.lock.unlock();
            }
        }
    }

    private static boolean lock(Guarded guarded) {
        for (int i = 0; i < SPINS; i++) {
            if (guarded.lock.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false; // the bug: goes ahead unlocked
    }
}
