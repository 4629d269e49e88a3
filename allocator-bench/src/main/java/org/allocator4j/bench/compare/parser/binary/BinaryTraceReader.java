package org.allocator4j.bench.compare.parser.binary;

import java.io.IOException;
import java.io.InputStream;

import org.allocator4j.bench.compare.Trace;
import org.allocator4j.bench.compare.TraceFormatException;
import org.allocator4j.tracking.MalformedTraceException;
import org.allocator4j.tracking.TraceFormat;
import org.allocator4j.tracking.TraceReader;

/**
 * Reads a whole allocator4j binary trace (layout in the tracking module's {@link TraceFormat}) into a
 * {@link Trace}: an adapter from the tracking module's {@link TraceReader}, which checks the format. Errors
 * name the byte offset (in the uncompressed stream) of the offending field and what was expected there.
 */
public final class BinaryTraceReader {
    private BinaryTraceReader() {
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
        Trace.Builder trace = Trace.builder(source);
        try {
            TraceReader reader = new TraceReader(source, in); // not closed: the caller owns in
            for (int op; (op = reader.next()) != TraceFormat.OP_END; ) {
                switch (op) {
                    case TraceFormat.OP_ALLOC -> trace.alloc(reader.id(), reader.size(), reader.alignment());
                    case TraceFormat.OP_FREE -> trace.free(reader.id());
                    default -> trace.realloc(reader.id(), reader.size());
                }
            }
        } catch (MalformedTraceException e) {
            TraceFormatException failure = TraceFormatException.atOffset(e.source(), e.offset(), e.expected(), e.found());
            failure.initCause(e);
            throw failure;
        }
        return trace.build();
    }
}
