package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@link #openArena()} with an arena that hands out its blocks as they come from
 * {@code allocate}, in the global scope, instead of in the arena's scope: after {@code close()} the
 * segments are still accessible (no {@link IllegalStateException}), and from any thread. To stay
 * memory-safe the closed arena's blocks are given back only when this allocator is {@linkplain #close()
 * closed}, so a late access reads memory still held (by a closed arena: a leak until then).
 *
 * <p>Shows when: a segment of {@code openArena()} is accessed after the arena is closed (or from another
 * thread). Allocation through the arena is otherwise right.
 */
public final class ArenaOutlivesClose extends Forwarding implements AutoCloseable {
    /** The blocks of closed arenas: never reused (stale segments reach them), given back at close. */
    private final LayoutCache closedArenas = new LayoutCache();

    /** Creates it over {@code system}. */
    public ArenaOutlivesClose() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ArenaOutlivesClose(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public Arena openArena() {
        return new HeldArena(this) {
            @Override
            public MemorySegment allocate(long byteSize, long byteAlignment) {
                return take(Layout.of(byteSize, byteAlignment)); // the bug: not scoped(...)
            }

            @Override
            void release(MemorySegment block, Layout layout) {
                if (layout.size() > 0) {
                    closedArenas.push(layout, block); // still reachable: given back at close
                }
            }
        };
    }

    /** Gives the blocks of closed arenas back to the parent. */
    @Override
    public void close() {
        closedArenas.drainTo(parent);
    }
}
