package org.allocator4j.bump;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The only class of this module that makes restricted FFM calls ({@code reinterpret}). Each call is
 * under a {@code // SAFETY:} comment stating what makes it sound.
 */
final class Reinterpret {
    private Reinterpret() {
    }

    /**
     * {@return {@code chunk}'s memory as a segment in the scope of {@code scope}, with no cleanup action}
     *
     * @param chunk the current chunk of the bump arena that {@code scope}'s {@link BumpScopedArena} is on
     * @param scope the confined JDK arena of that scoped arena
     */
    @SuppressWarnings("restricted")
    static MemorySegment intoScope(MemorySegment chunk, Arena scope) {
        // SAFETY: every byte of chunk stays allocated while scope is alive. BumpScopedArena pushes its frame
        // before opening scope and pops it only after scope is closed; popping keeps later chunks as spares,
        // and ChunkedBumpArena refuses reset() and close(), the only ways a chunk goes back to the parent,
        // while a scoped arena is open. Once scope is closed, no access through the segment is possible.
        return chunk.reinterpret(chunk.byteSize(), scope, null);
    }

    /** {@return a zero-length segment at {@code address} in the scope of {@code scope}} */
    @SuppressWarnings("restricted")
    static MemorySegment dangling(long address, Arena scope) {
        // SAFETY: a zero-length segment can access no byte, whatever its address.
        return MemorySegment.ofAddress(address).reinterpret(0, scope, null);
    }
}
