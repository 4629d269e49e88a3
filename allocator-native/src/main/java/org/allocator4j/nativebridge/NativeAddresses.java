package org.allocator4j.nativebridge;

import java.lang.foreign.MemorySegment;

/**
 * The module's only {@code reinterpret} calls: a C pointer seen as a segment of known size, for the
 * blocks a bridge handed out and for the results of the adapters' library calls.
 */
final class NativeAddresses {
    private NativeAddresses() {
    }

    /**
     * {@return the block at {@code address} as a segment of {@code size} bytes with the global scope}
     *
     * @param address a live block this bridge's allocator returned, found in its {@link PointerTable}
     * @param size    the block's size, as the table recorded it
     */
    @SuppressWarnings("restricted")
    static MemorySegment segment(long address, long size) {
        // SAFETY: only called with an address just found (and taken out of, or kept in) the bridge's pointer
        // table with the size it was allocated with, so [address, address + size) is a live block of the
        // allocator. The segment is handed to that allocator's deallocate or reallocate, which own the block.
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /**
     * {@return the NUL-terminated string at {@code pointer}, or {@code null} for NULL}
     *
     * @param pointer a {@code const char*} a library just returned (an error message): valid and terminated
     */
    @SuppressWarnings("restricted")
    static String cString(MemorySegment pointer) {
        if (pointer.address() == 0) {
            return null;
        }
        // SAFETY: the library documents the result as a NUL-terminated string that stays valid until the next
        // call on the same object; it is read here at once, up to its NUL, on the thread that called.
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /**
     * {@return {@code size} bytes at {@code pointer}, with the global scope}
     *
     * @param pointer a buffer of at least {@code size} bytes a library just returned, owned by the caller
     * @param size    its size, as the library reported it
     */
    @SuppressWarnings("restricted")
    static MemorySegment view(MemorySegment pointer, long size) {
        // SAFETY: the library reported the buffer's size with the pointer; the caller reads it and hands it
        // back to the library's free function, after which it no longer uses the segment.
        return pointer.reinterpret(size);
    }
}
