package org.allocator4j.trace;

import java.io.IOException;

/**
 * A trace that cannot be read: the message names the source, the position (a 1-based line number for an
 * mtrace file, a byte offset in the uncompressed stream for a binary trace, or both), what was expected there
 * and what was found, e.g. {@code run.a4jt: at byte offset=16: expected a record opcode 0x00-0x03; found
 * opcode=0x07} or {@code run.mtrace:4: expected a size in hexadecimal '0x...' or '0', not 'eight'; found
 * '+ 0x10 eight'}.
 *
 * <p>Text echoed from a line is cut to {@value #ECHO_LIMIT} characters, its control characters escaped
 * ({@code \t}, {@code \r}, {@code \n}, {@code \xNN}), so that a binary file read as text cannot garble a
 * terminal.
 */
public final class TraceFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The most characters of a line a message echoes. */
    public static final int ECHO_LIMIT = 120;

    /** @serial the trace's name */
    private final String source;
    /** @serial the 1-based line number, or -1 */
    private final long line;
    /** @serial the byte offset, or -1 */
    private final long offset;
    /** @serial what was expected there */
    private final String expected;
    /** @serial what was found */
    private final String found;

    private TraceFormatException(String message, String source, long line, long offset, String expected,
                                 String found) {
        super(message);
        this.source = source;
        this.line = line;
        this.offset = offset;
        this.expected = expected;
        this.found = found;
    }

    /**
     * {@return an exception for line {@code line} of a text trace}; {@code found}, the line, is echoed quoted,
     * cut and escaped
     *
     * @param source   the trace's name
     * @param line     the 1-based line number
     * @param expected what a valid line looks like at this point
     * @param found    the offending text
     */
    public static TraceFormatException atLine(String source, long line, String expected, String found) {
        String echoed = echo(found);
        return new TraceFormatException(source + ":" + line + ": expected " + expected + "; found '" + echoed + "'",
                source, line, -1, expected, echoed);
    }

    /**
     * {@return an exception for byte offset {@code offset} of a binary trace}
     *
     * @param source   the trace's name
     * @param offset   the byte offset of the offending record or field, in the uncompressed stream
     * @param expected what was expected there
     * @param found    what was found
     */
    public static TraceFormatException atOffset(String source, long offset, String expected, String found) {
        return new TraceFormatException(source + ": at byte offset=" + offset + ": expected " + expected
                + "; found " + found, source, -1, offset, expected, found);
    }

    /**
     * {@return an exception for a compressed stream that ends early or is corrupt}, at line {@code line}
     * (or -1) and byte offset {@code offset} of the uncompressed stream
     *
     * @param source    the trace's name
     * @param line      the 1-based number of the line being read, or -1 for a binary trace
     * @param offset    the uncompressed bytes read before the stream failed
     * @param events    the events read before
     * @param lastEvent the last event read, as {@link TraceEvents#describe()} gives it
     * @param cause     the decompressor's exception
     */
    public static TraceFormatException truncated(String source, long line, long offset, long events, String lastEvent,
                                                 IOException cause) {
        String expected = "a complete gzip stream";
        String found = "it truncated or corrupt (" + cause.getMessage() + ") after " + events
                + " events; last event read: " + lastEvent;
        TraceFormatException e = new TraceFormatException(source + (line > 0 ? ":" + line : "") + ": at byte offset="
                + offset + " (uncompressed): expected " + expected + "; found " + found, source, line, offset,
                expected, found);
        e.initCause(cause);
        return e;
    }

    /** {@return the trace's name} */
    public String source() {
        return source;
    }

    /** {@return the 1-based line number of the error, or -1 if the trace is binary} */
    public long line() {
        return line;
    }

    /** {@return the byte offset, in the uncompressed stream, of the error, or -1 if only a line is known} */
    public long offset() {
        return offset;
    }

    /** {@return what was expected there} */
    public String expected() {
        return expected;
    }

    /** {@return what was found there (a line echoed: cut and escaped)} */
    public String found() {
        return found;
    }

    /**
     * {@return {@code text} fit to echo in a message}: control characters escaped, cut to
     * {@value #ECHO_LIMIT} characters with {@code "..."} if longer
     */
    static String echo(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), ECHO_LIMIT) + 8);
        for (int i = 0; i < text.length() && out.length() < ECHO_LIMIT; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() >= ECHO_LIMIT && out.length() < escapedLength(text)) {
            out.setLength(ECHO_LIMIT - 3);
            out.append("...");
        }
        return out.toString();
    }

    private static int escapedLength(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            n += c == '\t' || c == '\r' || c == '\n' || c == '\\' ? 2 : Character.isISOControl(c) ? 4 : 1;
        }
        return n;
    }
}
