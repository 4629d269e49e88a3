package org.allocator4j.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TraceWriter} and {@link TraceReader}: the format of {@link TraceFormat}, round trip and errors. */
class TraceFormatTest {
    /** One record: opcode 1-3, id, size, log2 of the alignment (alloc only). */
    record Event(int op, long id, long size, int alignLog2) {
        Event {
            if (op != TraceFormat.OP_ALLOC) {
                alignLog2 = 0;
            }
            if (op == TraceFormat.OP_FREE) {
                size = 0;
            }
        }
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs().between(0, 300),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(Arbitraries.integers().between(1, 3), ids, sizes,
                Arbitraries.integers().between(0, TraceFormat.MAX_ALIGN_LOG2)).as(Event::new).list().ofMaxSize(300);
    }

    static byte[] bytes(List<Event> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceWriter writer = new TraceWriter(out)) {
            for (Event e : events) {
                switch (e.op()) {
                    case TraceFormat.OP_ALLOC -> writer.alloc(e.id(), e.size(), 1L << e.alignLog2());
                    case TraceFormat.OP_FREE -> writer.free(e.id());
                    default -> writer.realloc(e.id(), e.size());
                }
            }
            assertEquals(events.size(), writer.count());
        }
        return out.toByteArray();
    }

    /** {@return every record of {@code reader}, read to its end record} */
    static List<Event> read(TraceEvents reader) throws IOException {
        List<Event> events = new ArrayList<>();
        while (reader.next()) {
            events.add(new Event(reader.kind(), reader.id(), reader.size(), Long.numberOfTrailingZeros(reader.alignment())));
        }
        return events;
    }

    private static List<Event> read(String source, byte[] bytes) throws IOException {
        try (TraceReader reader = new TraceReader(source, new ByteArrayInputStream(bytes))) {
            return read(reader);
        }
    }

    @Property
    void read_writtenEvents_areTheSameEvents(@ForAll("events") List<Event> events) throws IOException {
        assertEquals(events, read("t", bytes(events)));
    }

    /**
     * A proper prefix of a valid trace fails where its bytes end: at offset 0 if it is too short to hold the
     * magic (found: the bytes there are), else at its length, the first byte missing (found: end of file).
     */
    @Property(tries = 50)
    void read_anyTruncation_failsWithTheOffset(@ForAll("events") @Size(min = 1) List<Event> events,
                                               @ForAll("cuts") int cut) throws IOException {
        byte[] all = bytes(events);
        int length = Math.max(0, all.length - 1 - cut % all.length);
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("t", Arrays.copyOf(all, length)));
        assertTrue(e.getMessage().startsWith("t: at byte offset=" + e.offset() + ": expected "), e.getMessage());
        boolean noMagic = length < TraceFormat.magic().length;
        assertEquals(noMagic ? 0 : length, e.offset(), e.getMessage());
        assertEquals(noMagic ? length + " other bytes" : "end of file", e.found(), e.getMessage());
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    @Test
    void write_smallTrace_isTheDocumentedBytes() throws IOException {
        byte[] bytes = bytes(List.of(new Event(1, 0, 300, 4), new Event(3, 0, 5, 0), new Event(2, 0, 0, 0)));
        assertEquals("41344a5452414345" + "0001" + "0000" + "00000000" // magic, version 1, flags, reserved
                + "01" + "00" + "ac02" + "04"   // alloc id=0 size=300 (varint ac 02) alignLog2=4
                + "03" + "00" + "05"            // realloc id=0 newSize=5
                + "02" + "00"                   // free id=0
                + "00" + "03",                  // end count=3
                HexFormat.of().formatHex(bytes));
    }

    @Test
    void open_gzName_writesGzipThatReadsBack(@TempDir Path dir) throws IOException {
        List<Event> events = List.of(new Event(1, 1, 100, 4), new Event(3, 1, 300, 0), new Event(2, 1, 0, 0));
        Path file = dir.resolve("t.a4jt.gz");
        try (TraceWriter writer = TraceWriter.open(file)) {
            writer.alloc(1, 100, 16);
            writer.realloc(1, 300);
            writer.free(1);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertEquals(events, read(new TraceReader("g", in)));
        }
        try (TraceEvents reader = Traces.open(file)) {
            assertInstanceOf(TraceReader.class, reader);
            assertEquals("t.a4jt.gz", reader.source());
            assertEquals(events, read(reader));
            assertEquals(3, reader.count());
            assertFalse(reader.next(), "after the end, the end again");
        }
    }

    @Test
    void open_plainName_isNotCompressed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t" + TraceFormat.SUFFIX);
        try (TraceWriter writer = TraceWriter.open(file)) {
            writer.free(7);
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
        assertTrue(TraceFormat.hasMagic(head));
        assertArrayEquals(TraceFormat.magic(), head);
        try (TraceEvents reader = Traces.open(file)) {
            assertEquals(List.of(new Event(2, 7, 0, 0)), read(reader));
        }
    }

    @Test
    void read_badMagic_namesWhatWasExpected() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("x.a4jt", "= Start\n+ 0x1 0x2\n".getBytes()));
        assertEquals("x.a4jt: at byte offset=0: expected magic \"A4JTRACE\" of an allocator4j binary trace; "
                + "found 16 other bytes", e.getMessage());
        assertEquals("x.a4jt", e.source());
        assertEquals(0, e.offset());
        assertEquals("16 other bytes", e.found());
    }

    @Test
    void read_shortHeader_fails() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("t", Arrays.copyOf(TraceFormat.magic(), 10)));
        assertEquals("t: at byte offset=10: expected a 16-byte header; found end of file", e.getMessage());
    }

    @Test
    void read_otherVersion_namesBoth() throws IOException {
        byte[] all = bytes(List.of());
        all[TraceFormat.VERSION_OFFSET + 1] = 2;
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", all));
        assertEquals("t: at byte offset=8: expected version=1; found version=2", e.getMessage());
    }

    @Test
    void read_reservedNotZero_fails() throws IOException {
        byte[] all = bytes(List.of());
        all[TraceFormat.RESERVED_OFFSET + 3] = 1;
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", all));
        assertEquals("t: at byte offset=10: expected flags=0 and reserved=0; found flags=0, reserved!=0: true",
                e.getMessage());
    }

    @Test
    void read_unknownOpcode_namesOffsetAndOpcode() throws IOException {
        byte[] all = bytes(List.of(new Event(2, 5, 0, 0)));
        byte[] bad = Arrays.copyOf(all, all.length + 1);
        bad[TraceFormat.HEADER_LENGTH] = 0x07;
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", bad));
        assertEquals("t: at byte offset=16: expected a record opcode 0x00-0x03; found opcode=0x07", e.getMessage());
    }

    @Test
    void read_noEndRecord_saysTruncatedAndCountsTheRecords() throws IOException {
        byte[] all = bytes(List.of(new Event(2, 5, 0, 0), new Event(2, 6, 0, 0)));
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("t", Arrays.copyOf(all, all.length - 2)));
        assertEquals("t: at byte offset=20: expected a record opcode 0x00-0x03 (the file ends without an end "
                + "record: truncated?) after 2 records; found end of file", e.getMessage());
    }

    @Test
    void read_wrongEndCount_fails() throws IOException {
        byte[] all = bytes(List.of(new Event(2, 5, 0, 0), new Event(2, 6, 0, 0)));
        all[all.length - 1] = 3; // the end record's count: 2 records, not 3
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", all));
        assertEquals("t: at byte offset=21: expected end count=2 (the records read); found count=3", e.getMessage());
    }

    @Test
    void read_bytesAfterTheEnd_fail() throws IOException {
        byte[] all = bytes(List.of(new Event(2, 5, 0, 0)));
        byte[] more = Arrays.copyOf(all, all.length + 1);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", more));
        assertEquals("t: at byte offset=" + all.length + ": expected end of file after the end record; found more bytes",
                e.getMessage());
    }

    @Test
    void read_alignLog2Above40_fails() throws IOException {
        byte[] all = bytes(List.of(new Event(1, 1, 8, 3)));
        all[TraceFormat.HEADER_LENGTH + 3] = 41; // opcode, id, size, alignLog2
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", all));
        assertEquals("t: at byte offset=19: expected alignLog2 in [0, 40]; found alignLog2=41", e.getMessage());
    }

    @Test
    void read_varintBeyondLongMaxValue_fails() throws IOException {
        byte[] header = Arrays.copyOf(bytes(List.of()), TraceFormat.HEADER_LENGTH);
        byte[] free = {2, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}; // free, 2^64 - 1: ten bytes, bit 63 set
        byte[] all = concat(header, free);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", all));
        assertEquals("t: at byte offset=17: expected free id as a varint of a non-negative long; "
                + "found a value beyond Long.MAX_VALUE", e.getMessage());
    }

    @Test
    void read_varintLongerThanTenBytes_fails() throws IOException {
        byte[] header = Arrays.copyOf(bytes(List.of()), TraceFormat.HEADER_LENGTH);
        byte[] free = {2, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, 0};
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("t", concat(header, free)));
        assertEquals("t: at byte offset=17: expected free id as a varint of at most 10 bytes; found a longer one",
                e.getMessage());
    }

    @Test
    void write_longMaxValue_readsBack() throws IOException {
        List<Event> events = List.of(new Event(1, Long.MAX_VALUE, Long.MAX_VALUE, 40));
        assertEquals(events, read("t", bytes(events)));
    }

    @Test
    void alloc_alignmentNotPowerOfTwo_throwsAndWritesNothing() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TraceWriter writer = new TraceWriter(out)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.alloc(1, 8, 24));
            assertEquals("alignment=24 is not a power of two in [1, 2^40]", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> writer.alloc(1, 8, 1L << 41));
            assertEquals(TraceFormat.HEADER_LENGTH, out.size());
            assertEquals(0, writer.count());
        }
    }

    @Test
    void write_negativeIdOrSize_throwsNamingIt() throws IOException {
        try (TraceWriter writer = new TraceWriter(new ByteArrayOutputStream())) {
            assertEquals("id=-1 is negative; expected id >= 0",
                    assertThrows(IllegalArgumentException.class, () -> writer.free(-1)).getMessage());
            assertEquals("newSize=-5 is negative; expected newSize >= 0",
                    assertThrows(IllegalArgumentException.class, () -> writer.realloc(1, -5)).getMessage());
            assertEquals("size=-2 is negative; expected size >= 0",
                    assertThrows(IllegalArgumentException.class, () -> writer.alloc(1, -2, 8)).getMessage());
        }
    }

    @Test
    void hasMagic_shortOrOtherHead_isFalse() {
        assertFalse(TraceFormat.hasMagic(new byte[] {'A', '4'}));
        assertFalse(TraceFormat.hasMagic("A4JTRACX".getBytes()));
        assertTrue(TraceFormat.hasMagic("A4JTRACE and more".getBytes()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
