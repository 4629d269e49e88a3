package org.allocator4j.bench.compare.parser.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.allocator4j.bench.compare.Trace;
import org.allocator4j.bench.compare.TraceFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryTraceRoundTripTest {
    /** One event: kind 1-3, id, size, log2 of the alignment. */
    record Event(int kind, long id, long size, int alignLog2) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(Arbitraries.integers().between(1, 3), ids, sizes,
                Arbitraries.integers().between(0, 40)).as(Event::new).list().ofMaxSize(300);
    }

    private static Trace trace(List<Event> events) {
        Trace.Builder b = Trace.builder("generated");
        for (Event e : events) {
            switch (e.kind()) {
                case 1 -> b.alloc(e.id(), e.size(), 1L << e.alignLog2());
                case 2 -> b.free(e.id());
                default -> b.realloc(e.id(), e.size());
            }
        }
        return b.build();
    }

    private static byte[] bytes(Trace trace) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BinaryTraceWriter writer = new BinaryTraceWriter(out)) {
            writer.writeAll(trace);
        }
        return out.toByteArray();
    }

    @Property
    void read_writtenTrace_isTheSameTrace(@ForAll("events") List<Event> events) throws IOException {
        Trace written = trace(events);
        Trace read = BinaryTraceReader.read("t", new ByteArrayInputStream(bytes(written)));
        assertEquals(written, read);
        for (int i = 0; i < written.length(); i++) {
            assertEquals(written.describe(i), read.describe(i));
        }
    }

    @Property(tries = 50)
    void read_anyTruncation_failsWithTheOffset(@ForAll("events") @Size(min = 1) List<Event> events,
                                               @ForAll("cuts") int cut) throws IOException {
        byte[] all = bytes(trace(events));
        int length = Math.max(0, all.length - 1 - cut % all.length);
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(Arrays.copyOf(all, length))));
        assertTrue(e.getMessage().startsWith("t: at byte offset="), e.getMessage());
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Test
    void open_gzName_writesGzipThatReadsBack(@TempDir Path dir) throws IOException {
        Trace trace = Trace.builder("g").alloc(1, 100, 16).realloc(1, 300).free(1).build();
        Path file = dir.resolve("t.a4jt.gz");
        BinaryTraceWriter.write(trace, file);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertEquals(trace, BinaryTraceReader.read("g", in));
        }
    }

    @Test
    void read_badMagic_namesWhatWasExpected() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("x.a4jt", new ByteArrayInputStream("= Start\n+ 0x1 0x2\n".getBytes())));
        assertEquals("x.a4jt: at byte offset=0: expected magic \"A4JTRACE\" of an allocator4j binary trace; "
                + "found 16 other bytes", e.getMessage());
    }

    @Test
    void read_unknownOpcode_namesOffsetAndOpcode() throws IOException {
        byte[] all = bytes(Trace.builder("t").free(5).build());
        byte[] bad = Arrays.copyOf(all, all.length + 1);
        bad[BinaryTraceDescriptor.HEADER_LENGTH] = 0x07;
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(bad)));
        assertEquals("t: at byte offset=16: expected a record opcode 0x00-0x03; found opcode=0x07", e.getMessage());
    }

    @Test
    void read_wrongEndCount_fails() throws IOException {
        byte[] all = bytes(Trace.builder("t").free(5).free(6).build());
        all[all.length - 1] = 3; // the end record's count: 2 records, not 3
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(all)));
        assertTrue(e.getMessage().contains("expected end count=2"), e.getMessage());
    }

    @Test
    void read_alignLog2Above40_fails() throws IOException {
        byte[] all = bytes(Trace.builder("t").alloc(1, 8, 8).build());
        all[BinaryTraceDescriptor.HEADER_LENGTH + 3] = 41; // opcode, id, size, alignLog2
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> BinaryTraceReader.read("t", new ByteArrayInputStream(all)));
        assertEquals("t: at byte offset=19: expected alignLog2 in [0, 40]; found alignLog2=41", e.getMessage());
    }

    @Test
    void alloc_alignmentNotPowerOfTwo_throws() throws IOException {
        try (BinaryTraceWriter writer = new BinaryTraceWriter(new ByteArrayOutputStream())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.alloc(1, 8, 24));
            assertTrue(e.getMessage().startsWith("align=24 "), e.getMessage());
        }
    }
}
