package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The blind zoo's only restricted calls: re-scoping blocks it owns. */
final class Reinterpret {
    private Reinterpret() {
    }

    /**
     * {@return {@code block} with the scope of {@code arena}}
     *
     * @param block a live block of the caller's, of its exact size
     * @param arena the arena whose scope the segment gets
     */
    @SuppressWarnings("restricted")
    static MemorySegment inScope(MemorySegment block, Arena arena) {
        // SAFETY: block is a live native block the caller owns, of exactly block.byteSize() bytes; the
        // caller keeps it allocated until arena is closed (or for ever), so no access through the new
        // segment can reach memory that was given back.
        return block.reinterpret(arena, null);
    }
}
