package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;

/**
 * Blocks by address: the one class of the replay that makes a restricted FFM call, under a
 * {@code // SAFETY:} comment. The replay keeps each live block as a primitive address and size
 * ({@link LiveBlocks}) and turns it back into a segment only to hand it to its allocator, so that a trace
 * of millions of live blocks holds no segment object per block.
 */
final class AddressSpace {
    // SAFETY: ALL is never dereferenced itself. segment() slices it only at the address and size of a block
    // an allocator returned to this replay and that is still live (it is sliced before the block is passed
    // back to deallocate or reallocate, and never after), so every slice covers memory the allocator handed
    // out; the replay reads and writes a slice only within its size.
    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private AddressSpace() {
    }

    /** {@return the segment of {@code size} bytes at {@code address}, a live block of the replay} */
    static MemorySegment segment(long address, long size) {
        return ALL.asSlice(address, size);
    }
}
