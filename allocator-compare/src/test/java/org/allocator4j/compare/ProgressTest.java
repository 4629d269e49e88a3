package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Progress} off a terminal: one plain line per strategy, with "k of n" and, from the second on, an ETA. */
class ProgressTest {
    @Test
    void steps_notOnATerminal_printOneLinePerStrategyWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = Progress.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.start("reading t", 100);
        progress.update(50); // a bar: drawn on a terminal only
        progress.finish();
        progress.steps(3);
        for (String name : List.of("system", "slab", "bump")) {
            progress.step(name);
        }
        progress.stepsDone();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().toList();
        assertEquals(4, lines.size(), text);
        assertEquals("compare: strategy 1 of 3: system", lines.get(0));
        assertTrue(lines.get(1).matches("compare: strategy 2 of 3: slab \\(ETA \\d+:\\d\\d, \\d+:\\d\\d so far\\)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("compare: strategy 3 of 3: bump (ETA "), lines.get(2));
        assertTrue(lines.get(3).matches("compare: 3 of 3 strategies done in \\d+:\\d\\d"), lines.get(3));
    }

    @Test
    void clock_secondsAndHours_areFormatted() {
        assertEquals("0:00", Progress.clock(-5));
        assertEquals("1:05", Progress.clock(65_000_000_000L));
        assertEquals("1:01:01", Progress.clock(3661_000_000_000L));
    }
}
