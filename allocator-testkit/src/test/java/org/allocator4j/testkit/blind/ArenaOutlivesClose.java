package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

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
    private record Held(MemorySegment block, Layout layout) {
    }

    private final List<Held> closedArenas = new ArrayList<>();

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
        return new Arena() {
            private final Arena scope = Arena.ofConfined();
            private final Thread owner = Thread.currentThread();
            private final List<Held> blocks = new ArrayList<>();

            @Override
            public MemorySegment allocate(long byteSize, long byteAlignment) {
                if (Thread.currentThread() != owner) {
                    throw new WrongThreadException("arena confined to " + owner);
                }
                if (!scope.scope().isAlive()) {
                    throw new IllegalStateException("arena closed");
                }
                Layout layout = Layout.of(byteSize, byteAlignment);
                MemorySegment block = ArenaOutlivesClose.this.allocate(layout);
                blocks.add(new Held(block, layout));
                return block; // the bug: not reinterpreted into scope
            }

            @Override
            public MemorySegment.Scope scope() {
                return scope.scope();
            }

            @Override
            public void close() {
                scope.close();
                synchronized (closedArenas) {
                    closedArenas.addAll(blocks);
                }
                blocks.clear();
            }
        };
    }

    /** Gives the blocks of closed arenas back to the parent. */
    @Override
    public void close() {
        synchronized (closedArenas) {
            closedArenas.forEach(h -> deallocate(h.block(), h.layout()));
            closedArenas.clear();
        }
    }
}
