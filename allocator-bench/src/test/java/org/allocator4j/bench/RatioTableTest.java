package org.allocator4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RatioTableTest {
    private static final RatioTable.Machine MACHINE = new RatioTable.Machine(2, "Test CPU 3000");
    private static final Instant WHEN = Instant.parse("2026-11-24T07:00:00Z");

    private static String fixture() throws IOException {
        try (InputStream in = RatioTableTest.class.getResourceAsStream("/suite/jmh-fixture.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String line(String table, String start) {
        return table.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + table));
    }

    @Test
    void render_fixture_headerNamesDateMachineJdkAndSettings() throws IOException {
        String table = RatioTable.render(fixture(), MACHINE, WHEN);
        assertTrue(table.contains("- date: 2026-11-24T07:00:00 UTC"), table);
        assertTrue(table.contains("- machine: 2 cores, Test CPU 3000"), table);
        assertTrue(table.contains("- JDK: 25.0.3, OpenJDK 64-Bit Server VM 25.0.3+9-LTS"), table);
        assertTrue(table.contains("1 fork(s), 1 x 500 ms warm-up, 2 x 500 ms measurement, -prof gc"), table);
    }

    @Test
    void render_fixture_ratiosAgainstGlibcAndTheFasterOfJemallocAndMimalloc() throws IOException {
        String table = RatioTable.render(fixture(), MACHINE, WHEN);
        // slab 30 ns: 30/20 against glibc, 30/10 against mimalloc (faster than jemalloc's 16).
        assertEquals("| slab | 30.0 | 2.0 | 1.50 | 3.00 | 48.0 |", line(table, "| slab | 30.0"));
        assertEquals("| glibc | 20.0 | n/a | 1.00 | 2.00 | 0.0 |", line(table, "| glibc | 20.0"));
        assertEquals("| jemalloc | 16.0 | 1.5 | 0.80 | 1.60 | 0.0 |", line(table, "| jemalloc | 16.0"));
    }

    @Test
    void render_workloadWithoutAnchors_saysNotApplicableAndListsTheMissing() throws IOException {
        String table = RatioTable.render(fixture(), MACHINE, WHEN);
        assertEquals("| slab | 250 | 10.0 | n/a | n/a | n/a |", line(table, "| slab | 250"));
        String batch = table.substring(table.indexOf("## batch"));
        String missing = line(batch, "missing");
        assertTrue(missing.contains("glibc") && missing.contains("jemalloc") && missing.contains("arrow"), missing);
        assertTrue(!missing.contains("slab"), missing);
    }

    @Test
    void render_fixture_summaryHasOneColumnPerWorkloadAndSize() throws IOException {
        String table = RatioTable.render(fixture(), MACHINE, WHEN);
        assertTrue(table.contains("| subject | pair 64 | batch |"), table);
        assertEquals("| slab | 1.50 | n/a |", line(table, "| slab | 1.50"));
    }

    @Test
    void render_notAnArray_throwsNamingWhatWasExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> RatioTable.render("{}", MACHINE, WHEN));
        assertTrue(e.getMessage().contains("expected a JMH result array"), e.getMessage());
    }

    @Test
    void row_throughputUnit_throwsNamingTheUnit() {
        Map<String, Object> benchmark = Map.of("benchmark", "a.B.c", "params", Map.of("subject", "slab"),
                "primaryMetric", Map.of("score", 1.0, "scoreError", 0.0, "scoreUnit", "ops/s"));
        var e = assertThrows(IllegalArgumentException.class, () -> RatioTable.row(benchmark));
        assertTrue(e.getMessage().contains("scoreUnit=ops/s"), e.getMessage());
    }

    @Test
    void localMachine_always_hasAtLeastOneCoreAndACpuName() {
        RatioTable.Machine machine = RatioTable.localMachine();
        assertTrue(machine.cores() >= 1);
        assertTrue(!machine.cpu().isBlank());
    }
}
