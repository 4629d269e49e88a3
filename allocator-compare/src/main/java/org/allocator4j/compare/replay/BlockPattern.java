package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The integrity pattern: each block is filled with an 8-byte value of its own, repeated, so that a block
 * that overlaps another, loses bytes in a reallocation, or is handed out twice, is found when its contents
 * are checked before it is freed. Byte {@code i} of a block holds byte {@code i % 8} (little-endian) of the
 * block's value.
 *
 * <p>Filling writes the first 8 bytes and then doubles them with {@link MemorySegment#copy}; checking
 * compares the first 8 bytes and then the block against itself shifted by 8 bytes with
 * {@link MemorySegment#mismatch}: both run at memcpy/memcmp speed.
 */
public final class BlockPattern {
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private BlockPattern() {
    }

    /** {@return the pattern value of the {@code serial}-th block of a replay (never 0)} */
    public static long value(long serial) {
        long z = (serial + 1) * 0x9E3779B97F4A7C15L; // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 1 : z;
    }

    /** Fills all of {@code block} with the pattern of {@code value}. */
    public static void fill(MemorySegment block, long value) {
        long size = block.byteSize();
        if (size < 8) {
            for (int i = 0; i < size; i++) {
                block.set(ValueLayout.JAVA_BYTE, i, expected(value, i));
            }
            return;
        }
        block.set(LE_LONG, 0, value);
        for (long done = 8; done < size; done <<= 1) {
            // The pattern has period 8 and done is a multiple of 8, so copying [0, done) keeps it.
            MemorySegment.copy(block, 0, block, done, Math.min(done, size - done));
        }
    }

    /**
     * {@return the offset of the first byte of {@code block[0, length)} that does not hold the pattern of
     * {@code value}, or -1 if all do}
     */
    public static long check(MemorySegment block, long length, long value) {
        long head = Math.min(8, length);
        for (int i = 0; i < head; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != expected(value, i)) {
                return i;
            }
        }
        if (length <= 8) {
            return -1;
        }
        // With the first 8 bytes right, block[i] == block[i - 8] for every i >= 8 means all bytes are right.
        long m = MemorySegment.mismatch(block, 8, length, block, 0, length - 8);
        return m < 0 ? -1 : m + 8;
    }

    /** {@return the byte the pattern of {@code value} has at {@code offset}} */
    public static byte expected(long value, long offset) {
        return (byte) (value >>> (8 * (offset & 7)));
    }
}
