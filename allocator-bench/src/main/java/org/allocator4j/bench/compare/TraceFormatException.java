package org.allocator4j.bench.compare;

/**
 * A trace that cannot be read: the message names the source, the position (a 1-based line number for text
 * formats, a byte offset for binary ones), what was expected there and what was found.
 */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @serial 1-based line number, or -1 for a byte position */
    private final long line;

    private TraceFormatException(String message, long line) {
        super(message);
        this.line = line;
    }

    /**
     * {@return an exception for line {@code line} of a text trace}
     *
     * @param source   the trace's name
     * @param line     the 1-based line number
     * @param expected what a valid line looks like at this point
     * @param found    the offending text
     */
    public static TraceFormatException atLine(String source, long line, String expected, String found) {
        return new TraceFormatException(source + ":" + line + ": expected " + expected + "; found '"
                + abbreviate(found) + "'", line);
    }

    /**
     * {@return an exception for byte offset {@code offset} of a binary trace}
     *
     * @param source   the trace's name
     * @param offset   the byte offset of the offending record or field
     * @param expected what was expected there
     * @param found    what was found
     */
    public static TraceFormatException atOffset(String source, long offset, String expected, String found) {
        return new TraceFormatException(source + ": at byte offset=" + offset + ": expected " + expected
                + "; found " + found, -1);
    }

    /** {@return the 1-based line number of the error, or -1 if the position is a byte offset} */
    public long line() {
        return line;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
