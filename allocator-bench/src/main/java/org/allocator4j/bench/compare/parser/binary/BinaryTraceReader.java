package org.allocator4j.bench.compare.parser.binary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.allocator4j.bench.compare.Trace;
import org.allocator4j.bench.compare.TraceFormatException;

/**
 * Reads a whole trace in the format of {@link BinaryTraceDescriptor}. Errors name the byte offset (in the
 * uncompressed stream) of the offending field and what was expected there.
 */
public final class BinaryTraceReader {
    private final String source;
    private final InputStream in;
    private long offset;

    private BinaryTraceReader(String source, InputStream in) {
        this.source = source;
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    }

    /**
     * {@return the trace in {@code in}}, read to its end record; {@code in} is not closed
     *
     * @param source the trace's name, for messages and {@link Trace#name()}
     * @param in     the uncompressed bytes, starting with the header
     * @throws TraceFormatException if the bytes are not a complete, valid trace
     * @throws IOException          if reading fails
     */
    public static Trace read(String source, InputStream in) throws IOException {
        return new BinaryTraceReader(source, in).read();
    }

    private Trace read() throws IOException {
        readHeader();
        Trace.Builder trace = Trace.builder(source);
        while (true) {
            long at = offset;
            int op = in.read();
            if (op < 0) {
                throw TraceFormatException.atOffset(source, at, "a record opcode 0x00-0x03 (the file ends "
                        + "without an end record: truncated?) after " + trace.length() + " records", "end of file");
            }
            offset++;
            switch (op) {
                case BinaryTraceDescriptor.OP_ALLOC -> {
                    long id = readVarint("alloc id");
                    long size = readVarint("alloc size");
                    long fieldAt = offset;
                    int alignLog2 = readByte("alloc alignLog2");
                    if (alignLog2 > BinaryTraceDescriptor.MAX_ALIGN_LOG2) {
                        throw TraceFormatException.atOffset(source, fieldAt, "alignLog2 in [0, "
                                + BinaryTraceDescriptor.MAX_ALIGN_LOG2 + "]", "alignLog2=" + alignLog2);
                    }
                    trace.alloc(id, size, 1L << alignLog2);
                }
                case BinaryTraceDescriptor.OP_FREE -> trace.free(readVarint("free id"));
                case BinaryTraceDescriptor.OP_REALLOC -> {
                    long id = readVarint("realloc id");
                    trace.realloc(id, readVarint("realloc newSize"));
                }
                case BinaryTraceDescriptor.OP_END -> {
                    long countAt = offset;
                    long count = readVarint("end count");
                    if (count != trace.length()) {
                        throw TraceFormatException.atOffset(source, countAt, "end count=" + trace.length()
                                + " (the records read)", "count=" + count);
                    }
                    if (in.read() >= 0) {
                        throw TraceFormatException.atOffset(source, offset, "end of file after the end record",
                                "more bytes");
                    }
                    return trace.build();
                }
                default -> throw TraceFormatException.atOffset(source, at, "a record opcode 0x00-0x03",
                        String.format("opcode=0x%02x", op));
            }
        }
    }

    private void readHeader() throws IOException {
        byte[] header = in.readNBytes(BinaryTraceDescriptor.HEADER_LENGTH);
        if (!BinaryTraceDescriptor.hasMagic(header)) {
            throw TraceFormatException.atOffset(source, 0, "magic \"A4JTRACE\" of an allocator4j binary trace",
                    header.length + " other bytes");
        }
        if (header.length < BinaryTraceDescriptor.HEADER_LENGTH) {
            throw TraceFormatException.atOffset(source, header.length, "a " + BinaryTraceDescriptor.HEADER_LENGTH
                    + "-byte header", "end of file");
        }
        int version = u16(header, BinaryTraceDescriptor.VERSION_OFFSET);
        if (version != BinaryTraceDescriptor.VERSION) {
            throw TraceFormatException.atOffset(source, BinaryTraceDescriptor.VERSION_OFFSET,
                    "version=" + BinaryTraceDescriptor.VERSION, "version=" + version);
        }
        int flags = u16(header, BinaryTraceDescriptor.FLAGS_OFFSET);
        int reserved = u16(header, BinaryTraceDescriptor.RESERVED_OFFSET) | u16(header, BinaryTraceDescriptor.RESERVED_OFFSET + 2);
        if (flags != 0 || reserved != 0) {
            throw TraceFormatException.atOffset(source, BinaryTraceDescriptor.FLAGS_OFFSET,
                    "flags=0 and reserved=0", "flags=" + flags + ", reserved!=0: " + (reserved != 0));
        }
        offset = BinaryTraceDescriptor.HEADER_LENGTH;
    }

    private int readByte(String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw TraceFormatException.atOffset(source, offset, what + " (truncated record)", "end of file");
        }
        offset++;
        return b;
    }

    private long readVarint(String what) throws IOException {
        long at = offset;
        long value = 0;
        for (int i = 0; i < BinaryTraceDescriptor.MAX_VARINT_BYTES; i++) {
            int b = readByte(what);
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value < 0 || (i == BinaryTraceDescriptor.MAX_VARINT_BYTES - 1 && b > 1)) {
                    throw TraceFormatException.atOffset(source, at, what + " as a varint of a non-negative long",
                            "a value beyond Long.MAX_VALUE");
                }
                return value;
            }
        }
        throw TraceFormatException.atOffset(source, at, what + " as a varint of at most "
                + BinaryTraceDescriptor.MAX_VARINT_BYTES + " bytes", "a longer one");
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
