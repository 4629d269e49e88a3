package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Serves small requests (up to 256 bytes, alignment up to 16) from a fresh {@link Arena#ofAuto()} each
 * ("the GC frees it, no free needed"): the block is native and right while its segment object is
 * reachable, but the garbage collector frees the memory as soon as no segment of that arena is, although
 * the block is live until {@code deallocate}. A caller that keeps only the address (as the contract lets
 * it: only the address is relied on) and re-derives the segment later finds memory that was freed, maybe
 * reused. {@code deallocate} of such a block does nothing.
 *
 * <p>Shows when: a small block's segment becomes unreachable while it is live (the caller keeps the
 * address or a re-derived segment) and a GC runs; its memory is then freed under the caller. Also visible
 * at once: the segment's scope is an automatic arena's, not the global scope. Other requests are right.
 *
 * <p>Hazard: a checker that keeps only the address and touches the block after a GC writes into freed
 * native memory, which may crash the JVM later; see {@link BlindZoo.Entry#reDeriveHazard()}.
 */
public final class AutoArenaBlocks extends Forwarding {
    private static final long SMALL = 256;
    private static final long MALLOC_ALIGNMENT = 16;

    /** Creates it over {@code system}. */
    public AutoArenaBlocks() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public AutoArenaBlocks(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (automatic(layout)) {
            return Arena.ofAuto().allocate(layout.size(), layout.alignment()); // the bug: the GC's memory
        }
        return fromParent(layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        // Every small layout is served automatically, so no small free ever reaches the parent: the
        // address of a block the GC freed may since be the parent's, and must not be freed there.
        if (layout.size() == 0 || automatic(layout)) {
            return;
        }
        parent.deallocate(block, layout);
    }

    private static boolean automatic(Layout layout) {
        return layout.size() > 0 && layout.size() <= SMALL && layout.alignment() <= MALLOC_ALIGNMENT;
    }
}
