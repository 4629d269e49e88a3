package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Settings} and the command line that reads them ({@link CompareCommand}). */
class SettingsTest {
    @Test
    void parse_traceOnly_givesTheDefaults() {
        Settings s = Settings.parse("t.mtrace");
        assertEquals(Settings.of("t.mtrace"), s);
        assertEquals(List.of(), s.strategies());
        assertEquals(Settings.DEFAULT_CHART, s.chart());
        assertEquals(Settings.DEFAULT_SAMPLES, s.samples());
        assertEquals(5, s.runs());
        assertTrue(s.verify());
        assertEquals(Settings.WARMUP_EVENTS, s.warmupEvents());
        assertEquals(List.of(), s.workerOptions());
        assertEquals(Duration.ofMinutes(30), s.timeout());
        assertTrue(s.fork());
    }

    @Test
    void parse_everyOption_isRead() {
        Settings s = Settings.parse("-s", "system, slab", "synthetic:larson", "-o", "r.json", "-c", "none",
                "--samples", "10", "--seed", "-3", "--scale", "2", "--no-verify", "--warmup-events", "1000",
                "--convert", "t.a4jt", "--in-process", "--runs", "7", "-J-Xmx256m", "--worker-option", "-Xss2m",
                "-J", "-XX:+UseSerialGC", "--timeout", "90s");
        assertEquals(Settings.builder("synthetic:larson").strategies(List.of("system", "slab")).json(Path.of("r.json"))
                .chart(null).convert(Path.of("t.a4jt")).samples(10).seed(-3).scale(2).verify(false)
                .warmupEvents(1000).fork(false).runs(7).workerOptions(List.of("-Xmx256m", "-Xss2m", "-XX:+UseSerialGC"))
                .timeout(Duration.ofSeconds(90)).build(), s);
        assertNull(s.chart());
        assertFalse(s.verify());
    }

    @Test
    void parse_verifyAndNoWarmup_areTheirFlags() {
        assertTrue(Settings.parse("t", "--verify").verify());
        assertFalse(Settings.parse("t", "--no-verify").verify());
        Settings s = Settings.parse("t", "--no-warmup");
        assertEquals(0, s.warmupEvents());
        assertFalse(s.warmup());
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "45, PT45S", "45s, PT45S", "10m, PT10M", "2h, PT2H", "PT1M30S, PT1M30S"})
    void duration_everyForm_isRead(String text, String expected) {
        assertEquals(Duration.parse(expected), CompareCommand.duration(text));
    }

    @Test
    void parse_badInput_namesIt() {
        assertEquals("Unknown option: '--fast'",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--fast")).getMessage());
        assertEquals("Missing required parameter for option '--json' (FILE)",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "-o")).getMessage());
        assertEquals("samples=1 is out of range [2, 1000000]",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--samples", "1")).getMessage());
        assertEquals("runs=0 is out of range [1, 1000]",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--runs", "0")).getMessage());
        assertEquals("Invalid value for option '--scale': 'x' is not an int",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--scale", "x")).getMessage());
        assertEquals("Invalid value for option '--timeout': duration=soon is not a duration; expected e.g. 90s, 10m, "
                        + "1h, 500ms or PT2M",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--timeout", "soon")).getMessage());
        assertEquals("timeout=PT0S is not positive; expected a duration > 0",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "--timeout", "0")).getMessage());
        assertEquals("Unmatched argument at index 1: 'u'",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("t", "u")).getMessage());
        assertEquals("no trace given; expected a file or synthetic:NAME (see --help)",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("-c", "none")).getMessage());
    }
}
