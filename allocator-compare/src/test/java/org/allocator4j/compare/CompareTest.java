package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.compare.input.SyntheticWorkload;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.strategy.Strategy;
import org.allocator4j.compare.strategy.StrategyRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {
    /** The bundled trace, relative to the module directory surefire runs in. */
    static final Path BUNDLED = Path.of("traces", "python3-json.mtrace.gz");

    /** {@return the exit status, a newline, and what {@link Compare#run(String[], PrintStream)} printed} */
    static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Compare.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return status + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_syntheticOnSystem_printsTableAndWritesJsonAndChart(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Path chart = dir.resolve("r.html");
        String out = run("synthetic:glibc-simple", "-s", "system", "-o", json.toString(), "-c", chart.toString(),
                "--no-warmup", "--samples", "20");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("trace synthetic:glibc-simple: "), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("system ")), out);
        String text = Files.readString(json);
        assertTrue(text.contains("\"strategy\": \"system\""), text);
        assertTrue(text.contains("\"corruptBlocks\": 0"), text);
        String html = Files.readString(chart);
        assertTrue(html.contains("<svg") && html.contains("<polyline"), "a chart with lines");
        assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="),
                "self-contained: no script, nothing fetched");
    }

    @Test
    void run_binaryTraceFile_isReplayed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("larson.a4jt.gz");
        TraceFiles.write(SyntheticWorkload.LARSON.trace(5, 1), file);
        String out = run(file.toString(), "-s", "system", "-c", "none", "--no-warmup", "--in-process");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("trace larson.a4jt.gz: 110,000 events"), out);
    }

    @Test
    void run_convert_writesABinaryTraceThatReadsBackTheSame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b.a4jt");
        String out = run(BUNDLED.toString(), "--convert", file.toString());
        assertTrue(out.startsWith("0\nwrote 616,415 events of python3-json.mtrace.gz"), out);
        Settings original = Settings.of(BUNDLED.toString());
        assertEquals(TraceFiles.load(original, Progress.silent()),
                TraceFiles.load(Settings.of(file.toString()), Progress.silent()));
        assertTrue(Files.size(file) < Files.size(BUNDLED) * 3, "compact: " + Files.size(file) + " bytes");
    }

    @Test
    void run_forked_replaysEachStrategyInItsOwnJvmAndReportsWhatCannotBeUsed() {
        String out = run("synthetic:glibc-simple", "-s", "system,mimalloc,jemalloc", "-c", "none", "--no-warmup");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("system ")), out);
        for (String name : List.of("mimalloc", "jemalloc")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ") || l.startsWith("skipped " + name + ": ")),
                    name + " is either replayed or skipped with a reason: " + out);
        }
    }

    @Test
    void load_bundledTrace_isTheRecordedPythonRun() throws IOException {
        Trace trace = TraceFiles.load(Settings.of(BUNDLED.toString()), Progress.silent());
        TraceSummary summary = TraceSummary.of(trace);
        assertEquals(616_415, summary.events());
        assertEquals(304_142, summary.allocs());
        assertEquals(10_435, summary.reallocs());
        assertEquals(36, summary.unknownFrees(), "blocks allocated before mtrace() was called");
    }

    @Test
    void run_malformedTrace_exitsWithTheLineNumber(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.mtrace");
        Files.writeString(file, "= Start\n+ 0x10 0x8\n+ 0x20\n");
        String out = run(file.toString());
        assertEquals("2\ncompare: bad.mtrace:3: expected '+ 0xADDR 0xSIZE' (3 fields separated by single spaces); "
                + "found '+ 0x20'\n", out);
    }

    @Test
    void run_missingFileOrUnknownStrategy_exitsWithTwoAndSaysWhy() {
        assertEquals("2\ncompare: no/such.mtrace: no such trace file\n", run("no/such.mtrace"));
        String out = run("synthetic:larson", "-s", "nonesuch", "-c", "none");
        assertTrue(out.startsWith("2\ncompare: strategy=nonesuch is unknown; expected one of [system"), out);
    }

    @Test
    void run_provider_isReplayedOnFreshAllocatorsWithItsMallocFootprintAndClosed() {
        int closedBefore = TestDelegatingProvider.CLOSED.get();
        int createdBefore = TestDelegatingProvider.CREATED.get();
        String out = run("synthetic:larson", "-s", TestDelegatingProvider.NAME, "-c", "none", "--in-process");
        assertTrue(out.startsWith("0\n"), out);
        String row = out.lines().filter(l -> l.startsWith(TestDelegatingProvider.NAME + " ")).findFirst().orElseThrow();
        assertTrue(row.contains("glibc mallinfo2 uordblks+hblkhd"),
                "its own figure is what it holds from malloc, labelled: " + row);
        int created = TestDelegatingProvider.CREATED.get() - createdBefore;
        assertTrue(created >= 1 + 5, "a fresh allocator for the checked pass and each of the 5 timed runs: " + created);
        assertEquals(created, TestDelegatingProvider.CLOSED.get() - closedBefore, "every allocator made is closed");
    }

    @Test
    void find_everyStrategy_startsWithSystemAndListsTheRestOrWhyNot() {
        StrategyRegistry.Found found = StrategyRegistry.find(List.of());
        assertEquals("system", found.strategies().getFirst().name());
        List<String> order = found.strategies().stream().map(Strategy::name).toList();
        List<String> providers = GlobalAllocator.available().stream().filter(n -> !n.equals("system")).toList();
        assertTrue(order.contains(TestDelegatingProvider.NAME), order::toString);
        assertEquals(providers, order.subList(order.size() - providers.size(), order.size()),
                "providers come last, in available() order");
        for (StrategyRegistry.Skipped skipped : found.skipped()) {
            assertTrue(skipped.reason().contains("cannot be loaded") || skipped.reason().contains("providers"),
                    skipped.toString());
        }
    }
}
