package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Access to the native memory of slabs by address: the one class of this module that makes a restricted
 * FFM call, under a {@code // SAFETY:} comment.
 *
 * <p>Everything else in the module handles blocks as {@code long} addresses and turns one into a
 * {@link MemorySegment} only when handing it to a caller, so that the fast path allocates no object that
 * escapes: {@link #segment(long, long)} is a slice of one global segment, which the JIT scalar-replaces
 * when the caller's segment does not escape.
 */
final class NativeMemory {
    /**
     * The whole address space as one segment of the global scope.
     */
    // SAFETY: ALL itself is never dereferenced at an arbitrary address. It is read and written only by
    // the methods below, which are called only at addresses of slab blocks this allocator holds from its
    // parent: segment() for a block being handed to its caller, getLong/putLong for the free-list link in
    // the first 8 bytes of a free block and for the free mark in bytes 8..16 (FreeCheck; every class is at
    // least 16 bytes and 16-aligned). A slab is returned to the parent only when none of its blocks is
    // live or cached, so no address used here points into memory the allocator no longer holds. The one
    // exception is misuse racing a release: FreeCheck reads the mark of a block the caller frees, after
    // checking that the block's slab is in the slab map and has blocks out; a double free of the last
    // block out, racing a trim() that returns that slab, can read memory the parent just took back.
    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeMemory() {
    }

    /** {@return a segment of {@code size} bytes at {@code address}, with the global scope} */
    static MemorySegment segment(long address, long size) {
        return ALL.asSlice(address, size);
    }

    /** {@return the 8-byte word at {@code address}, an 8-aligned address inside a free block} */
    static long getLong(long address) {
        return ALL.get(ValueLayout.JAVA_LONG, address);
    }

    /** Writes the 8-byte word at {@code address}, an 8-aligned address inside a free block. */
    static void putLong(long address, long value) {
        ALL.set(ValueLayout.JAVA_LONG, address, value);
    }
}
