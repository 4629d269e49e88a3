package org.allocator4j.trace;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Reads a trace in the format of {@link TraceFormat} as a stream of {@link TraceEvents}, one record at a
 * time, holding nothing but the current record ({@link Traces#open(java.nio.file.Path)} opens a file of
 * either format).
 *
 * <p>Everything is checked as it is read: the header, each opcode and operand, the end record's count and
 * that nothing follows it. A problem throws {@link TraceFormatException} naming the byte offset (in the
 * uncompressed stream) and what was expected there; a gzip stream that ends early names the offset reached
 * and the last event read.
 *
 * @implNote Not thread-safe.
 */
public final class TraceReader implements TraceEvents {
    private final String source;
    private final InputStream in;
    /** Offset of the next byte to read. */
    private long offset;
    /** Records read, not counting the end record. */
    private long count;
    private boolean ended;
    private int kind;
    private long id;
    private long size;
    private long alignment = 1;

    /**
     * Starts reading {@code in} (which {@link #close()} closes) and checks the header.
     *
     * @param source the trace's name, for messages
     * @param in     the uncompressed bytes, starting with the header
     * @throws TraceFormatException if the header is not one of this format's version
     * @throws IOException          if reading fails
     */
    public TraceReader(String source, InputStream in) throws IOException {
        this.source = java.util.Objects.requireNonNull(source, "source");
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        try {
            readHeader();
        } catch (EOFException | ZipException e) {
            throw TraceFormatException.truncated(source, -1, offset, 0, "none", e);
        }
    }

    /**
     * Reads the next record.
     *
     * @return true if it is an event; false once the end record has been read and checked (and for every call
     *         after it)
     * @throws TraceFormatException if the record is malformed, the file ends without an end record, the end
     *                              record's count is not the number of records, bytes follow it, or a
     *                              compressed stream ends early or is corrupt
     * @throws IOException          if reading fails
     */
    @Override
    public boolean next() throws IOException {
        if (ended) {
            return false;
        }
        int lastKind = kind; // the event before, for the message if the stream ends here: no garbage per event
        long lastId = id, lastSize = size, lastAlignment = alignment, lastCount = count;
        try {
            return read();
        } catch (EOFException | ZipException e) {
            throw TraceFormatException.truncated(source, -1, offset, count,
                    lastCount == 0 ? "none" : TraceEvents.describe(lastKind, lastId, lastSize, lastAlignment), e);
        }
    }

    private boolean read() throws IOException {
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
                return false;
            }
            default -> throw malformed(at, "a record opcode 0x00-0x03", String.format("opcode=0x%02x", op));
        }
        kind = op;
        count++;
        return true;
    }

    @Override
    public int kind() {
        return kind;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long alignment() {
        return alignment;
    }

    /** {@return the number of records read so far, not counting the end record} */
    @Override
    public long count() {
        return count;
    }

    @Override
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

    private TraceFormatException malformed(long at, String expected, String found) {
        return TraceFormatException.atOffset(source, at, expected, found);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
