package org.allocator4j.bench.compare.parser.binary;

import java.nio.charset.StandardCharsets;

/**
 * The layout of allocator4j's compact binary trace format ({@code .a4jt}, optionally gzip-compressed as
 * {@code .a4jt.gz}). It is what the tracking allocator records for a Java program and what {@code compare}
 * replays.
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
 * last (at most 10 bytes for a 64-bit value); ids and sizes are non-negative. A typical small block takes
 * 4-6 bytes. The end record lets a reader tell a complete file from a truncated one. Bytes after the end
 * record are an error.
 */
public final class BinaryTraceDescriptor {
    /** The 8 bytes every file starts with. */
    static final byte[] MAGIC = "A4JTRACE".getBytes(StandardCharsets.US_ASCII);

    /** Offset of the u16 version. */
    static final int VERSION_OFFSET = 8;
    /** Offset of the u16 flags (none defined; must be 0). */
    static final int FLAGS_OFFSET = 10;
    /** Offset of the u32 reserved field (must be 0). */
    static final int RESERVED_OFFSET = 12;
    /** Length of the header; the first record starts here. */
    static final int HEADER_LENGTH = 16;
    /** The version this code writes and reads. */
    static final int VERSION = 1;

    /** Opcode of the end record. */
    static final int OP_END = 0x00;
    /** Opcode of an alloc record. */
    static final int OP_ALLOC = 0x01;
    /** Opcode of a free record. */
    static final int OP_FREE = 0x02;
    /** Opcode of a realloc record. */
    static final int OP_REALLOC = 0x03;

    /** The largest alignLog2 an alloc record may hold. */
    static final int MAX_ALIGN_LOG2 = 40;
    /** The most bytes a varint of a 64-bit value takes. */
    static final int MAX_VARINT_BYTES = 10;

    /** The usual file name suffix. */
    public static final String SUFFIX = ".a4jt";

    private BinaryTraceDescriptor() {
    }

    /** {@return a copy of the 8 bytes every file starts with, for code that sniffs the format} */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /** {@return whether {@code head}, the first bytes of a file, start with {@link #MAGIC}} */
    public static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
