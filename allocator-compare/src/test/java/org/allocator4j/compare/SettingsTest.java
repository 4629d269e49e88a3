package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void parse_traceOnly_givesTheDefaults() {
        Settings s = Settings.parse("t.mtrace");
        assertEquals(Settings.of("t.mtrace"), s);
        assertEquals(List.of(), s.strategies());
        assertEquals(Settings.DEFAULT_CHART, s.chart());
        assertEquals(Settings.DEFAULT_SAMPLES, s.samples());
    }

    @Test
    void parse_everyOption_isRead() {
        Settings s = Settings.parse("-s", "system, slab", "synthetic:larson", "-o", "r.json", "-c", "none",
                "--samples", "10", "--seed", "-3", "--scale", "2", "--no-verify", "--no-warmup", "--convert", "t.a4jt", "--in-process");
        assertEquals(new Settings("synthetic:larson", List.of("system", "slab"), Path.of("r.json"), null,
                Path.of("t.a4jt"), 10, -3, 2, false, false, false), s);
        assertNull(s.chart());
        assertFalse(s.verify());
    }

    @Test
    void parse_badInput_namesIt() {
        assertEquals("option=--fast is unknown; see --help",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--fast")).getMessage());
        assertEquals("option=-o needs a value",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "-o")).getMessage());
        assertEquals("--samples=1 is out of range [2, 1000000]",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--samples", "1")).getMessage());
        assertEquals("--scale=x is not an integer",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--scale", "x")).getMessage());
        assertEquals("trace=u is a second trace (the first is t); expected one trace",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "u")).getMessage());
        assertEquals("no trace given; expected a file or synthetic:NAME",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("-c", "none")).getMessage());
    }
}
