package org.allocator4j.trace;

import java.nio.charset.StandardCharsets;

/**
 * The layout of allocator4j's compact binary trace format ({@code .a4jt}, optionally gzip-compressed as
 * {@code .a4jt.gz}): what a tracking allocator {@linkplain Tracking.Builder#recordTo(java.nio.file.Path)
 * records}, {@link TraceWriter} writes, {@link TraceReader} reads and {@code allocator-compare}'s
 * {@code compare} replays.
 *
 * <pre>
 * file   = header record* end
 *
 * header (16 bytes, integers big-endian)
 *   0                   8        10       12                16
 *   +-------------------+--------+--------+-----------------+
 *   | magic "A4JTRACE"  |version | flags  |    reserved     |
 *   |  8 bytes ASCII    |  u16=1 |  u16=0 |     u32=0       |
 *   +-------------------+--------+--------+-----------------+
 *
 * record = opcode (1 byte) operands; every integer operand is an unsigned LEB128 varint
 *   +------+--------+----------+-------------+
 *   | 0x01 | id     | size     | alignLog2   |   alloc   (alignLog2: 1 plain byte, 0..40)
 *   +------+--------+----------+-------------+
 *   | 0x02 | id     |                            free
 *   +------+--------+----------+
 *   | 0x03 | id     | newSize  |                 realloc
 *   +------+--------+----------+
 *   | 0x00 | count  |                            end: count = number of records before it
 *   +------+--------+
 * </pre>
 *
 * <p>Varints are 7 bits per byte, least significant group first, the high bit set on every byte but the
 * last (at most {@value #MAX_VARINT_BYTES} bytes for a 64-bit value); ids and sizes are non-negative
 * {@code long}s. A typical small block takes 4-6 bytes. The end record lets a reader tell a complete file
 * from a truncated one. Bytes after the end record are an error.
 *
 * <p>Meaning: {@code alloc id size align} allocates block {@code id} with {@code Layout.of(size, align)};
 * {@code free id} frees it; {@code realloc id newSize} resizes it, keeping its alignment. An id may be
 * reused after its block is freed. A recorded trace numbers blocks in allocation order from 0, never
 * records a zero-size request (the zero-size rule: nothing is allocated), records reallocating a zero-size
 * block as an {@code alloc} and reallocating to 0 as a {@code free}, and gives a block it never saw
 * allocated a fresh id when it is freed or reallocated (a replay counts it as unknown).
 */
public final class TraceFormat {
    /** The 8 ASCII characters every file starts with. */
    public static final String MAGIC = "A4JTRACE";
    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);

    /** Offset of the u16 version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the u16 flags (none defined; must be 0). */
    public static final int FLAGS_OFFSET = 10;
    /** Offset of the u32 reserved field (must be 0). */
    public static final int RESERVED_OFFSET = 12;
    /** Length of the header; the first record starts here. */
    public static final int HEADER_LENGTH = 16;
    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    /** Opcode of the end record. */
    public static final int OP_END = 0x00;
    /** Opcode of an alloc record. */
    public static final int OP_ALLOC = 0x01;
    /** Opcode of a free record. */
    public static final int OP_FREE = 0x02;
    /** Opcode of a realloc record. */
    public static final int OP_REALLOC = 0x03;

    /** The largest alignLog2 an alloc record may hold: alignments up to {@code 2^40}. */
    public static final int MAX_ALIGN_LOG2 = 40;
    /** The most bytes a varint of a 64-bit value takes. */
    public static final int MAX_VARINT_BYTES = 10;

    /** The usual file name suffix (plus {@code .gz} when compressed). */
    public static final String SUFFIX = ".a4jt";

    private TraceFormat() {
    }

    /** {@return a copy of the 8 bytes every file starts with, for code that sniffs the format} */
    public static byte[] magic() {
        return MAGIC_BYTES.clone();
    }

    /** {@return whether {@code head}, the first bytes of a file, start with the {@linkplain #MAGIC magic}} */
    public static boolean hasMagic(byte[] head) {
        return head.length >= MAGIC_BYTES.length
                && java.util.Arrays.equals(head, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length);
    }

    /**
     * {@return {@code log2(alignment)}, as an alloc record holds it}
     *
     * @param alignment the alignment of an alloc record
     * @throws IllegalArgumentException if {@code alignment} is not a power of two in {@code [1, 2^40]}
     */
    public static int alignLog2(long alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > 1L << MAX_ALIGN_LOG2) {
            throw new IllegalArgumentException("alignment=" + alignment + " is not a power of two in [1, 2^"
                    + MAX_ALIGN_LOG2 + "]");
        }
        return Long.numberOfTrailingZeros(alignment);
    }
}
