package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Returns every block in the scope of one shared arena of its own (so that, once the allocator is closed,
 * its blocks are inaccessible), and tells its own blocks from anything else by that scope: a free whose
 * segment has another scope, such as the global scope of {@code MemorySegment.ofAddress(a).reinterpret(n)},
 * is taken as not its own and ignored; the block leaks, close included.
 *
 * <p>Shows when: {@code deallocate} or {@code reallocate} is handed a segment for a live block that is not
 * in the allocator's scope (any re-derived segment). Takes a parent.
 */
public final class ScopeCheckedOwnership extends Forwarding implements AutoCloseable {
    private final Arena scope = Arena.ofShared();

    /** Creates it over {@code system}. */
    public ScopeCheckedOwnership() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ScopeCheckedOwnership(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment block = fromParent(layout);
        return layout.size() == 0 ? block : Reinterpret.inScope(block, scope);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0 || !block.scope().equals(scope.scope())) {
            return; // the bug: another segment object for the block has another scope
        }
        parent.deallocate(block, layout);
    }

    /** Closes the scope: blocks still live become inaccessible (they are not given back). */
    @Override
    public void close() {
        scope.close();
    }
}
