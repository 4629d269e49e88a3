package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The blind zoo's only restricted calls: re-scoping blocks it owns, and (for its tests) re-deriving a
 * segment from an address, as a caller who kept only the address does.
 */
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

    /**
     * {@return a new global-scope segment of {@code size} bytes at {@code address}}
     *
     * @param address the address of memory the caller knows to be allocated for at least {@code size} bytes
     * @param size    the length
     */
    @SuppressWarnings("restricted")
    static MemorySegment reDerived(long address, long size) {
        // SAFETY: the caller (a test) passes the address of a block it owns or that the allocator under
        // test still holds (a live block, or one in a quarantine), for at least size bytes.
        return MemorySegment.ofAddress(address).reinterpret(size);
    }
}
