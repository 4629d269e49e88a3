package org.allocator4j.testkit.blind;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A pool of 1024 slots whose exhaustion path "rescans from the start" by resetting its carve pointer to
 * slot 0: after the first genuine exhaustion it hands out never-used slots again from 0, although they are
 * live or on the free stack, so one slot goes to two callers (overlapping live blocks, still inside the
 * pool's own chunk). Freeing everything does not repair it.
 *
 * <p>Shows when: more than 1024 blocks are live at once, a request fails, and then blocks are allocated
 * again (overlap as soon as a slot that is live, or also on the free stack, is carved again). Declares
 * {@link SlotPool#capabilities()}.
 */
public final class ExhaustionResetsCarvePointer extends SlotPool {
    /** Creates it over {@code system}. */
    public ExhaustionResetsCarvePointer() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator the chunk comes from */
    public ExhaustionResetsCarvePointer(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected int take(Layout layout) {
        int slot = fresh < SLOTS ? fresh++ : next(); // carve first, then the stack
        if (slot < 0) {
            fresh = 0; // the bug: "rescan" from the first slot, live or not
            throw exhaustion(layout);
        }
        return slot;
    }
}
