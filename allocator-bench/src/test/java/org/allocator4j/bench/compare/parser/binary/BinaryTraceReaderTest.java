package org.allocator4j.bench.compare.parser.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.allocator4j.bench.compare.Trace;
import org.allocator4j.bench.compare.TraceFormatException;
import org.allocator4j.tracking.MalformedTraceException;
import org.allocator4j.tracking.TraceFormat;
import org.allocator4j.tracking.TraceWriter;
import org.junit.jupiter.api.Test;

/** The adapter from tracking's {@code TraceReader} to {@link Trace} (the format itself: tracking's tests). */
class BinaryTraceReaderTest {

    private static byte[] bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceWriter writer = new TraceWriter(out)) {
            writer.alloc(7, 100, 16);
            writer.realloc(7, 300);
            writer.free(7);
            writer.free(9);
        }
        return out.toByteArray();
    }

    @Test
    void read_everyRecord_becomesTheSameEvent() throws IOException {
        Trace trace = BinaryTraceReader.read("t", new ByteArrayInputStream(bytes()));
        assertEquals(Trace.builder("t").alloc(7, 100, 16).realloc(7, 300).free(7).free(9).build(), trace);
        assertEquals("t", trace.name());
    }

    @Test
    void read_malformed_throwsTraceFormatExceptionWithTheOffsetAndTheCause() throws IOException {
        byte[] bad = bytes();
        bad[TraceFormat.HEADER_LENGTH] = 0x07;
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(bad)));
        assertEquals("t: at byte offset=16: expected a record opcode 0x00-0x03; found opcode=0x07", e.getMessage());
        assertEquals(-1, e.line());
        assertInstanceOf(MalformedTraceException.class, e.getCause());
    }

    @Test
    void read_truncated_saysSo() throws IOException {
        byte[] all = bytes();
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(Arrays.copyOf(all, all.length - 2))));
        assertEquals("t: at byte offset=" + (all.length - 2) + ": expected a record opcode 0x00-0x03 (the file ends "
                + "without an end record: truncated?) after 4 records; found end of file", e.getMessage());
    }
}
