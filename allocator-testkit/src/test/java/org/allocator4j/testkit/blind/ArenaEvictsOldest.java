package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@link #openArena()} with an arena that keeps at most 64 blocks "to bound its bookkeeping":
 * the 65th allocation frees the arena's oldest block while the arena, and that block's segment, are still
 * open. The freed block goes to this allocator's cache and is handed out again, so two live segments
 * share memory. Memory-safe: cached blocks stay this allocator's until {@link #close()}.
 *
 * <p>Shows when: an arena of {@code openArena()} hands out more than 64 segments and its oldest ones are
 * still used (their contents change under them once reused), or checked for overlap.
 */
public final class ArenaEvictsOldest extends Forwarding implements AutoCloseable {
    private static final int KEPT = 64;
    private final LayoutCache cache = new LayoutCache();

    /** Creates it over {@code system}. */
    public ArenaEvictsOldest() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ArenaEvictsOldest(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment kept = layout.size() > 0 ? cache.poll(layout) : null;
        return kept != null ? kept : fromParent(layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            cache.push(layout, block); // kept until close: an evicted block may still be written
        }
    }

    @Override
    public Arena openArena() {
        return new Arena() {
            private record Held(MemorySegment block, Layout layout) {
            }

            private final Arena scope = Arena.ofConfined();
            private final ArrayDeque<Held> held = new ArrayDeque<>();

            @Override
            public MemorySegment allocate(long byteSize, long byteAlignment) {
                if (!scope.scope().isAlive()) {
                    throw new IllegalStateException("arena closed");
                }
                Layout layout = Layout.of(byteSize, byteAlignment);
                MemorySegment block = ArenaEvictsOldest.this.allocate(layout);
                held.addLast(new Held(block, layout));
                if (held.size() > KEPT) {
                    Held oldest = held.removeFirst();
                    deallocate(oldest.block(), oldest.layout()); // the bug: freed while its segment is open
                }
                return layout.size() == 0 ? block : Reinterpret.inScope(block, scope);
            }

            @Override
            public MemorySegment.Scope scope() {
                return scope.scope();
            }

            @Override
            public void close() {
                scope.close();
                held.forEach(h -> deallocate(h.block(), h.layout()));
                held.clear();
            }
        };
    }

    /** Gives the cached blocks back to the parent. */
    @Override
    public void close() {
        cache.drainTo(parent);
    }
}
