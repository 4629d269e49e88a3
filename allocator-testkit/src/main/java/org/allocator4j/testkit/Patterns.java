package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;

/**
 * Per-block byte patterns: byte {@code i} of a block with seed {@code s} is {@code (s + i) % 251}, so a
 * shifted, truncated or foreign copy shows, and whole blocks are written and compared by bulk copies
 * against one heap array, {@value #SPAN} bytes at a time.
 */
final class Patterns {
    /** The period: a prime, so that patterns of neighbouring seeds and offsets rarely line up. */
    static final int PERIOD = 251;
    /** The bytes compared per bulk operation. */
    static final int SPAN = 1 << 20;

    private static final MemorySegment MASTER;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[SPAN]);

    static {
        byte[] master = new byte[SPAN + PERIOD];
        for (int i = 0; i < master.length; i++) {
            master[i] = (byte) (i % PERIOD);
        }
        MASTER = MemorySegment.ofArray(master);
    }

    private Patterns() {
    }

    /** Writes the pattern of {@code seed} into {@code block[from, block.byteSize())}. */
    static void write(MemorySegment block, int seed, long from) {
        long size = block.byteSize();
        for (long offset = from; offset < size; ) {
            long length = Math.min(SPAN, size - offset);
            MemorySegment.copy(MASTER, start(seed, offset), block, offset, length);
            offset += length;
        }
    }

    /** {@return the first offset below {@code length} where {@code block} differs from the pattern, or -1} */
    static long mismatch(MemorySegment block, int seed, long length) {
        for (long offset = 0; offset < length; ) {
            long span = Math.min(SPAN, length - offset);
            long start = start(seed, offset);
            long at = MemorySegment.mismatch(block, offset, offset + span, MASTER, start, start + span);
            if (at >= 0) {
                return offset + at;
            }
            offset += span;
        }
        return -1;
    }

    /** {@return the first non-zero offset of {@code block}, or -1} */
    static long nonZero(MemorySegment block) {
        long size = block.byteSize();
        for (long offset = 0; offset < size; ) {
            long span = Math.min(SPAN, size - offset);
            long at = MemorySegment.mismatch(block, offset, offset + span, ZEROS, 0, span);
            if (at >= 0) {
                return offset + at;
            }
            offset += span;
        }
        return -1;
    }

    /** {@return the expected byte at {@code offset} of a block with {@code seed}} */
    static byte expected(int seed, long offset) {
        return (byte) ((Math.floorMod(seed, PERIOD) + offset) % PERIOD);
    }

    private static long start(int seed, long offset) {
        return (Math.floorMod(seed, PERIOD) + offset) % PERIOD;
    }
}
