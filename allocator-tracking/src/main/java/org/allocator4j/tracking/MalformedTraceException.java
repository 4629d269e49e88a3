package org.allocator4j.tracking;

import java.io.IOException;

/**
 * A binary trace ({@link TraceFormat}) that cannot be read: the message names the source, the byte offset
 * (in the uncompressed stream) of the offending record or field, what was expected there and what was
 * found, e.g. {@code run.a4jt: at byte offset=16: expected a record opcode 0x00-0x03; found opcode=0x07}.
 */
public final class MalformedTraceException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @serial the trace's name */
    private final String source;
    /** @serial the byte offset of the error */
    private final long offset;
    /** @serial what was expected there */
    private final String expected;
    /** @serial what was found */
    private final String found;

    /**
     * Creates the exception.
     *
     * @param source   the trace's name
     * @param offset   the byte offset of the offending record or field
     * @param expected what was expected there
     * @param found    what was found
     */
    public MalformedTraceException(String source, long offset, String expected, String found) {
        super(source + ": at byte offset=" + offset + ": expected " + expected + "; found " + found);
        this.source = source;
        this.offset = offset;
        this.expected = expected;
        this.found = found;
    }

    /** {@return the trace's name} */
    public String source() {
        return source;
    }

    /** {@return the byte offset, in the uncompressed stream, of the offending record or field} */
    public long offset() {
        return offset;
    }

    /** {@return what was expected at the offset} */
    public String expected() {
        return expected;
    }

    /** {@return what was found there} */
    public String found() {
        return found;
    }
}
