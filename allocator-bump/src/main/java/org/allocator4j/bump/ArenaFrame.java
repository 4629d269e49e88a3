package org.allocator4j.bump;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;

/**
 * A {@link BumpArena.Frame} of a {@link ChunkedBumpArena}: the frame's number and the arena's epoch. The
 * saved position itself is kept by the arena (in arrays indexed by depth), so a frame that does not
 * escape its try-with-resources block costs no heap allocation once inlined.
 */
final class ArenaFrame implements BumpArena.Frame {
    final ChunkedBumpArena arena;
    /** 1 for the outermost frame. */
    final int depth;
    final long epoch;
    boolean closed;

    ArenaFrame(ChunkedBumpArena arena, int depth, long epoch) {
        this.arena = arena;
        this.depth = depth;
        this.epoch = epoch;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (closed || depth != arena.depth()) {
            throw notInnermost();
        }
        return arena.allocate(layout);
    }

    // Out of line, so that allocate stays small enough to inline.
    private AllocatorMisuseException notInnermost() {
        return new AllocatorMisuseException(AllocatorMisuseException.Kind.SCOPE, arena.name(), closed
                ? "allocation through frame #" + depth + ", which is closed"
                : "allocation through frame #" + depth + " while frame #" + arena.depth()
                  + " is the innermost open frame; allocate through the innermost frame");
    }

    @Override
    public BumpArena arena() {
        return arena;
    }

    @Override
    public void close() {
        arena.pop(this);
    }

    @Override
    public String toString() {
        return "Frame[#" + depth + " of " + arena.name() + (closed ? ", closed" : "") + "]";
    }
}
