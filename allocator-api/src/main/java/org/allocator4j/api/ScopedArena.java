package org.allocator4j.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A confined {@link Arena} over any {@link GlobalAllocator}: {@link GlobalAllocator#openArena()}.
 *
 * <p>The scope is a confined JDK arena. Each block is returned reinterpreted into that scope with its
 * deallocation as a cleanup action, so closing the JDK arena first makes every block inaccessible (access
 * throws {@link IllegalStateException}) and then frees them.
 *
 * @implNote Not thread-safe: confined to the thread that opened it, as {@link Arena#ofConfined()}.
 */
final class ScopedArena implements Arena {
    private final GlobalAllocator allocator;
    private final Arena scope = Arena.ofConfined();

    ScopedArena(GlobalAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    @SuppressWarnings("restricted")
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        Layout layout = Layout.of(byteSize, byteAlignment);
        MemorySegment block = allocator.allocate(layout);
        try {
            // SAFETY: block is live and exactly layout.size() bytes; it stays live until the cleanup runs,
            // and the JDK runs cleanups only after the scope is closed, when no access can reach it.
            return block.reinterpret(scope, freed -> allocator.deallocate(freed, layout));
        } catch (RuntimeException e) {
            // Closed, or the wrong thread: the block must not leak.
            allocator.deallocate(block, layout);
            throw e;
        }
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    @Override
    public void close() {
        scope.close();
    }

    @Override
    public String toString() {
        return "ScopedArena[" + allocator.name() + ", alive=" + scope.scope().isAlive() + "]";
    }
}
