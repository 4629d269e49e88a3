package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.GlobalAllocator;

/** Byte patterns and clean-up for the zoo's own tests. */
final class Bytes {
    private Bytes() {
    }

    /** {@return the byte at {@code i} of pattern {@code seed}} */
    private static byte at(long i, int seed) {
        return (byte) ((seed + i * 7) % 251);
    }

    /** Fills {@code block} with pattern {@code seed}. @return the block */
    static MemorySegment fill(MemorySegment block, int seed) {
        for (long i = 0; i < block.byteSize(); i++) {
            block.set(ValueLayout.JAVA_BYTE, i, at(i, seed));
        }
        return block;
    }

    /** {@return whether bytes {@code from..to-1} of {@code block} hold pattern {@code seed}} */
    static boolean holds(MemorySegment block, long from, long to, int seed) {
        for (long i = from; i < to; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != at(i, seed)) {
                return false;
            }
        }
        return true;
    }

    /** {@return whether bytes {@code from..to-1} of {@code block} are all zero} */
    static boolean zero(MemorySegment block, long from, long to) {
        return all(block.asSlice(from, to - from), (byte) 0);
    }

    /** {@return whether every byte of {@code block} is {@code value}} */
    static boolean all(MemorySegment block, byte value) {
        for (long i = 0; i < block.byteSize(); i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != value) {
                return false;
            }
        }
        return true;
    }

    /** Closes {@code allocator} if it is {@link AutoCloseable}. */
    static void close(GlobalAllocator allocator) {
        if (allocator instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new AssertionError("close of " + allocator.name() + " failed", e);
            }
        }
    }
}
