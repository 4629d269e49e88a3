package org.allocator4j.bump;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.Layout;

/**
 * One chunk of native memory taken from a parent allocator. Blocks are carved from its top downwards:
 * <pre>
 *   base                      top                        end
 *    |-------- free ----------|== blocks, newest first ==|
 * </pre>
 * {@code top} is the lowest handed-out byte, saved here while the chunk is not the arena's current one
 * (the current chunk's live pointer is a field of the arena).
 */
final class Chunk {
    /** The chunk's memory, global scope, exactly {@code layout.size()} bytes. */
    final MemorySegment segment;
    /** The layout the chunk was allocated from the parent with (needed to give it back). */
    final Layout layout;
    final long base;
    final long end;
    /** The lowest handed-out address while the chunk is not current; {@code end} when empty. */
    long top;

    Chunk(MemorySegment segment, Layout layout) {
        this.segment = segment;
        this.layout = layout;
        this.base = segment.address();
        this.end = base + layout.size();
        this.top = end;
    }

    long size() {
        return layout.size();
    }

    @Override
    public String toString() {
        return "Chunk[base=0x" + Long.toHexString(base) + ", size=" + size() + ", used=" + (end - top) + "]";
    }
}
