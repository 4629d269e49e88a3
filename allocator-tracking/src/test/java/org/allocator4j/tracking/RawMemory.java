package org.allocator4j.tracking;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes next to or inside blocks the way buggy native code would, to test checked mode. The only test
 * file making restricted FFM calls.
 */
final class RawMemory {
    private RawMemory() {
    }

    /**
     * Writes {@code value} at {@code offset} from {@code block}'s start, which may be outside it.
     *
     * @param offset within checked mode's red zones (-16..size+15) or a quarantined freed block: memory that
     *               the tracking allocator holds, so the write cannot touch anything else
     */
    @SuppressWarnings("restricted")
    static void write(long address, long offset, byte value) {
        // SAFETY: callers pass an address and offset inside memory the checked allocator still holds from its
        // inner allocator (a red zone, or a freed block in quarantine), so the byte written is allocated.
        MemorySegment.ofAddress(address + offset).reinterpret(1).set(ValueLayout.JAVA_BYTE, 0, value);
    }
}
