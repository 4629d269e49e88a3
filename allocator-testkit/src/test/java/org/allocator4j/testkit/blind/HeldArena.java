package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A confined arena over a {@link GlobalAllocator} that remembers the blocks it took, oldest first, and
 * gives them back when closed; the zoo's arena overrides build on it and break one thing each.
 */
abstract class HeldArena implements Arena {
    private record Held(MemorySegment block, Layout layout) {
    }

    private final GlobalAllocator allocator;
    private final Arena scope = Arena.ofConfined();
    private final Thread owner = Thread.currentThread();
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    /** @param allocator the allocator blocks come from */
    HeldArena(GlobalAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * {@return a block of {@code layout} from the allocator, remembered, as the allocator returned it}
     *
     * @param layout the layout
     * @throws WrongThreadException  if called from another thread than the one that opened the arena
     * @throws IllegalStateException if the arena is closed
     */
    final MemorySegment take(Layout layout) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("the arena is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw new IllegalStateException("the arena is closed");
        }
        MemorySegment block = allocator.allocate(layout);
        held.addLast(new Held(block, layout));
        return block;
    }

    /** {@return {@code block} (part of a block taken) in the arena's scope} @param block the memory */
    final MemorySegment scoped(MemorySegment block) {
        return block.byteSize() == 0 ? block : Reinterpret.inScope(block, scope);
    }

    /** {@return how many blocks are remembered} */
    final int heldCount() {
        return held.size();
    }

    /** Gives the oldest remembered block back now. */
    final void releaseOldest() {
        Held oldest = held.removeFirst();
        release(oldest.block(), oldest.layout());
    }

    /**
     * Gives one remembered block back.
     *
     * @implSpec The default deallocates it from the allocator.
     * @param block  the block as taken
     * @param layout its layout
     */
    void release(MemorySegment block, Layout layout) {
        allocator.deallocate(block, layout);
    }

    @Override
    public final MemorySegment.Scope scope() {
        return scope.scope();
    }

    @Override
    public final void close() {
        scope.close();
        held.forEach(h -> release(h.block(), h.layout()));
        held.clear();
    }
}
