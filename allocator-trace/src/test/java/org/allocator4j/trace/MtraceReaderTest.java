package org.allocator4j.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link MtraceReader}: glibc's mtrace lines, read as a stream of events. */
class MtraceReaderTest {
    /** What a reader gave: its events as text, and its notes. */
    record Read(List<String> events, Map<String, Long> notes) {
    }

    private static Read read(String text) throws IOException {
        try (MtraceReader reader = new MtraceReader("t.mtrace",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)))) {
            List<String> events = new ArrayList<>();
            while (reader.next()) {
                events.add(reader.describe());
            }
            return new Read(events, reader.notes());
        }
    }

    /** Lines as glibc 2.36 writes them (taken from the bundled python3 trace and a C program). */
    @Test
    void read_realLines_giveTheirEvents() throws IOException {
        Read trace = read("""
                = Start
                @ /usr/bin/python3:(PyType_GenericAlloc+2b5)[0x108475] + 0x1407a570 0x38
                @ /usr/bin/python3:[0x145865] + 0x14089ee0 0x48
                @ /tmp/t:[0x11a5] < 0x14089ee0
                @ /tmp/t:[0x11a5] > 0x140a0000 0x64
                @ /usr/bin/python3:(_PyEval_EvalFrameDefault+8277)[0x133367] - 0x1407a570
                @ [0x7f0e3c2a1b2c] + 0x55d0c2a4b2a0 0
                + 0x55d0c2a4c000 0x10
                - 0x140a0000
                = End
                """);
        assertEquals(List.of("alloc 0 56 16", "alloc 1 72 16", "realloc 1 100", "free 0", "alloc 2 0 16",
                "alloc 3 16 16", "free 1"), trace.events());
    }

    @Test
    void read_failedCallsAndReuse_areNotedNotEvents() throws IOException {
        Read trace = read("""
                + (nil) 0xffffffffff
                ! 0x1000 0x20000000000
                + 0x2000 0x10
                + 0x2000 0x20
                """);
        assertEquals(List.of("alloc 0 16 16", "free 0", "alloc 1 32 16"), trace.events()); // the free was missed
        assertEquals(Map.of(MtraceReader.NOTE_FAILED_MALLOC, 1L, MtraceReader.NOTE_FAILED_REALLOC, 1L,
                MtraceReader.NOTE_ADDRESS_REUSED, 1L), trace.notes());
    }

    @Test
    void read_freeOfUnknownAddress_becomesFreeOfAnIdNeverAllocated() throws IOException {
        assertEquals(List.of("alloc 0 8 16", "free 1"), read("+ 0x10 0x8\n- 0x99\n").events());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+ 0x1000|1|expected '+ 0xADDR 0xSIZE' (3 fields separated by single spaces); found '+ 0x1000'",
            "+ 1000 0x10|1|expected an address in hexadecimal '0x...' (e.g. 0x55d0c2a4b2a0), not '1000'; found '+ 1000 0x10'",
            "+ 0x1000 16|1|expected a size in hexadecimal '0x...' or '0', not '16'; found '+ 0x1000 16'",
            "+ 0x1000 0xzz|1|expected a hexadecimal size, not '0xzz'; found '+ 0x1000 0xzz'",
            "+ 0x1000 0x8000000000000000|1|expected a size below 2^63, not '0x8000000000000000'; found '+ 0x1000 0x8000000000000000'",
            "- 0x0|1|expected a non-null address, not '0x0'; found '- 0x0'",
            "* 0x1000|1|expected an mtrace operation '+', '-', '<', '>', '!' or '=' (optionally after '@ caller '), not '*'; found '* 0x1000'",
            "@ /bin/x:0x12 + 0x10 0x8|1|expected a caller '@ [0xADDR] ' or '@ FILE:(SYM+0xOFF)[0xADDR] ' followed by an operation; found '@ /bin/x:0x12 + 0x10 0x8'",
            "> 0x20 0x8|1|expected '< 0xOLD' on the line before '> 0xNEW 0xSIZE'; found '> 0x20 0x8'",
    })
    void read_malformedLine_failsWithLineNumberAndExpectation(String line, long number, String message) {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read(line + "\n"));
        assertEquals(number, e.line());
        assertEquals("t.mtrace:" + number + ": " + message, e.getMessage());
    }

    @Test
    void read_malformedLineAfterGoodOnes_namesItsLineNumber() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("= Start\n+ 0x10 0x8\n- 0x10\n+ 0x10 eight\n"));
        assertEquals(4, e.line());
        assertEquals("t.mtrace:4: expected a size in hexadecimal '0x...' or '0', not 'eight'; found '+ 0x10 eight'",
                e.getMessage());
    }

    @Test
    void read_reallocWithoutItsSecondHalf_failsOnTheNextLine() {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> read("+ 0x10 0x8\n< 0x10\n- 0x10\n"));
        assertEquals("t.mtrace:3: expected '> 0xNEW 0xSIZE' completing the realloc '< ...' of line 2; found '- 0x10'",
                e.getMessage());
        TraceFormatException atEnd = assertThrows(TraceFormatException.class, () -> read("+ 0x10 0x8\n< 0x10\n"));
        assertEquals(3, atEnd.line());
    }

    /**
     * Any sequence of malloc, free (of live and of unknown addresses), realloc and address reuse, written as
     * mtrace lines with or without a caller, reads back as the events the reader's contract describes.
     */
    @Property(tries = 200)
    void read_generatedMtrace_givesTheModelsEvents(@ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int ops)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder("= Start\n");
        List<String> expected = new ArrayList<>();
        Map<Long, Long> live = new HashMap<>();
        List<Long> addresses = new ArrayList<>();
        long nextId = 0;
        long nextAddress = 0x1000;
        for (int i = 0; i < ops; i++) {
            String caller = switch (random.nextInt(3)) {
                case 0 -> "";
                case 1 -> "@ [0x7f00" + Integer.toHexString(random.nextInt(1 << 20)) + "] ";
                default -> "@ /usr/lib/libx.so:(f+" + Integer.toHexString(random.nextInt(999)) + ")[0x"
                        + Integer.toHexString(random.nextInt(1 << 20)) + "] ";
            };
            long size = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1 << 20);
            String hexSize = size == 0 ? "0" : "0x" + Long.toHexString(size);
            int op = live.isEmpty() ? 0 : random.nextInt(4);
            if (op == 0) { // malloc, at a fresh address
                long address = nextAddress += 0x40;
                text.append(caller).append("+ 0x").append(Long.toHexString(address)).append(' ').append(hexSize).append('\n');
                live.put(address, nextId);
                addresses.add(address);
                expected.add("alloc " + nextId++ + " " + size + " " + MtraceReader.MALLOC_ALIGNMENT);
            } else if (op == 1) { // free of a live address
                long address = addresses.remove(random.nextInt(addresses.size()));
                text.append(caller).append("- 0x").append(Long.toHexString(address)).append('\n');
                expected.add("free " + live.remove(address));
            } else if (op == 2) { // free of an address never seen
                text.append(caller).append("- 0x").append(Long.toHexString(0xdead0000L + i)).append('\n');
                expected.add("free " + nextId++);
            } else { // realloc, moving or in place
                long old = addresses.remove(random.nextInt(addresses.size()));
                long moved = random.nextBoolean() ? old : (nextAddress += 0x40);
                text.append(caller).append("< 0x").append(Long.toHexString(old)).append('\n')
                        .append(caller).append("> 0x").append(Long.toHexString(moved)).append(' ').append(hexSize).append('\n');
                long id = live.remove(old);
                live.put(moved, id);
                addresses.add(moved);
                expected.add("realloc " + id + " " + size);
            }
        }
        text.append("= End\n");
        assertEquals(expected, read(text.toString()).events());
    }
}
