package org.allocator4j.tracking;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a trace in the format of {@link TraceFormat}, one record at a time: {@link #next()} reads a
 * record and returns its opcode, and {@link #id()}, {@link #size()} and {@link #alignment()} give its
 * operands.
 *
 * <pre>{@code
 * try (TraceReader trace = TraceReader.open(Path.of("run.a4jt.gz"))) {
 *     for (int op; (op = trace.next()) != TraceFormat.OP_END; ) {
 *         switch (op) {
 *             case TraceFormat.OP_ALLOC -> System.out.println("alloc " + trace.id() + " " + trace.size() + " " + trace.alignment());
 *             case TraceFormat.OP_FREE -> System.out.println("free " + trace.id());
 *             default -> System.out.println("realloc " + trace.id() + " " + trace.size());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Everything is checked as it is read: the header, each opcode and operand, the end record's count and
 * that nothing follows it. A problem throws {@link MalformedTraceException} naming the byte offset (in the
 * uncompressed stream) and what was expected there.
 *
 * @implNote Not thread-safe.
 */
public final class TraceReader implements Closeable {
    private final String source;
    private final InputStream in;
    /** Offset of the next byte to read. */
    private long offset;
    /** Records read, not counting the end record. */
    private long count;
    private boolean ended;
    private long id;
    private long size;
    private long alignment = 1;

    /**
     * Starts reading {@code in} (which {@link #close()} closes) and checks the header.
     *
     * @param source the trace's name, for messages
     * @param in     the uncompressed bytes, starting with the header
     * @throws MalformedTraceException if the header is not one of this format's version
     * @throws IOException             if reading fails
     */
    public TraceReader(String source, InputStream in) throws IOException {
        this.source = java.util.Objects.requireNonNull(source, "source");
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        readHeader();
    }

    /**
     * {@return a reader of the file at {@code path}}, gunzipped if it starts with gzip's magic
     *
     * @param path the file
     * @throws MalformedTraceException if its header is not one of this format's version
     * @throws IOException             if it cannot be read
     */
    public static TraceReader open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            return new TraceReader(path.getFileName().toString(), in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads the next record.
     *
     * @return its opcode: {@link TraceFormat#OP_ALLOC}, {@link TraceFormat#OP_FREE},
     *         {@link TraceFormat#OP_REALLOC}, or {@link TraceFormat#OP_END} once the end record has been read
     *         and checked (and for every call after it)
     * @throws MalformedTraceException if the record is malformed, the file ends without an end record, the
     *                                 end record's count is not the number of records, or bytes follow it
     * @throws IOException             if reading fails
     */
    public int next() throws IOException {
        if (ended) {
            return TraceFormat.OP_END;
        }
        long at = offset;
        int op = in.read();
        if (op < 0) {
            throw malformed(at, "a record opcode 0x00-0x03 (the file ends without an end record: truncated?) after "
                    + count + " records", "end of file");
        }
        offset++;
        switch (op) {
            case TraceFormat.OP_ALLOC -> {
                id = readVarint("alloc id");
                size = readVarint("alloc size");
                long fieldAt = offset;
                int alignLog2 = readByte("alloc alignLog2");
                if (alignLog2 > TraceFormat.MAX_ALIGN_LOG2) {
                    throw malformed(fieldAt, "alignLog2 in [0, " + TraceFormat.MAX_ALIGN_LOG2 + "]",
                            "alignLog2=" + alignLog2);
                }
                alignment = 1L << alignLog2;
            }
            case TraceFormat.OP_FREE -> {
                id = readVarint("free id");
                size = 0;
                alignment = 1;
            }
            case TraceFormat.OP_REALLOC -> {
                id = readVarint("realloc id");
                size = readVarint("realloc newSize");
                alignment = 1;
            }
            case TraceFormat.OP_END -> {
                long countAt = offset;
                long recorded = readVarint("end count");
                if (recorded != count) {
                    throw malformed(countAt, "end count=" + count + " (the records read)", "count=" + recorded);
                }
                if (in.read() >= 0) {
                    throw malformed(offset, "end of file after the end record", "more bytes");
                }
                ended = true;
                return TraceFormat.OP_END;
            }
            default -> throw malformed(at, "a record opcode 0x00-0x03", String.format("opcode=0x%02x", op));
        }
        count++;
        return op;
    }

    /** {@return the block id of the record {@link #next()} read last} */
    public long id() {
        return id;
    }

    /** {@return the size of the alloc, or the new size of the realloc, {@link #next()} read last; 0 for a free} */
    public long size() {
        return size;
    }

    /** {@return the alignment of the alloc {@link #next()} read last; 1 for other records} */
    public long alignment() {
        return alignment;
    }

    /** {@return the number of records read so far, not counting the end record} */
    public long count() {
        return count;
    }

    /** {@return the trace's name, as messages give it} */
    public String source() {
        return source;
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private void readHeader() throws IOException {
        byte[] header = in.readNBytes(TraceFormat.HEADER_LENGTH);
        if (!TraceFormat.hasMagic(header)) {
            throw malformed(0, "magic \"" + TraceFormat.MAGIC + "\" of an allocator4j binary trace",
                    header.length + " other bytes");
        }
        if (header.length < TraceFormat.HEADER_LENGTH) {
            throw malformed(header.length, "a " + TraceFormat.HEADER_LENGTH + "-byte header", "end of file");
        }
        int version = u16(header, TraceFormat.VERSION_OFFSET);
        if (version != TraceFormat.VERSION) {
            throw malformed(TraceFormat.VERSION_OFFSET, "version=" + TraceFormat.VERSION, "version=" + version);
        }
        int flags = u16(header, TraceFormat.FLAGS_OFFSET);
        int reserved = u16(header, TraceFormat.RESERVED_OFFSET) | u16(header, TraceFormat.RESERVED_OFFSET + 2);
        if (flags != 0 || reserved != 0) {
            throw malformed(TraceFormat.FLAGS_OFFSET, "flags=0 and reserved=0",
                    "flags=" + flags + ", reserved!=0: " + (reserved != 0));
        }
        offset = TraceFormat.HEADER_LENGTH;
    }

    private int readByte(String what) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw malformed(offset, what + " (truncated record)", "end of file");
        }
        offset++;
        return b;
    }

    private long readVarint(String what) throws IOException {
        long at = offset;
        long value = 0;
        for (int i = 0; i < TraceFormat.MAX_VARINT_BYTES; i++) {
            int b = readByte(what);
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                // the 10th byte holds bit 63 alone: more than 1 there, or bit 63 set, is beyond Long.MAX_VALUE
                if (value < 0 || (i == TraceFormat.MAX_VARINT_BYTES - 1 && b > 1)) {
                    throw malformed(at, what + " as a varint of a non-negative long", "a value beyond Long.MAX_VALUE");
                }
                return value;
            }
        }
        throw malformed(at, what + " as a varint of at most " + TraceFormat.MAX_VARINT_BYTES + " bytes",
                "a longer one");
    }

    private MalformedTraceException malformed(long at, String expected, String found) {
        return new MalformedTraceException(source, at, expected, found);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
