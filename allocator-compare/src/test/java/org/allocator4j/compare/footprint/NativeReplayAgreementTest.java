package org.allocator4j.compare.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.allocator4j.compare.Progress;
import org.allocator4j.compare.Settings;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.replay.WorkerProcesses;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * compare's footprint of {@code system} agrees with an outside reference: {@code src/test/c/replay.c}, a C
 * program built here with the system's {@code cc}, which replays the same trace with glibc's malloc in a
 * plain process, every block filled, and reads its anonymous resident memory at the same event counts.
 * Skipped, saying so, where there is no {@code cc}.
 */
class NativeReplayAgreementTest {
    /** The C replay's source, relative to the module directory surefire runs in. */
    private static final Path SOURCE = Path.of("src", "test", "c", "replay.c");
    /** How far compare's peak footprint may be from the C replay's. */
    private static final double TOLERANCE = 0.15;

    @TempDir
    static Path dir;
    private static Path program;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        program = dir.resolve("replay");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O2", "-o", program.toString(), SOURCE.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no C compiler 'cc' on the PATH (" + e.getMessage() + "): the C replay reference "
                    + "is skipped");
            return;
        }
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), "cc " + SOURCE + " failed: " + output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java-offheap-index.a4jt.gz", "python3-json.mtrace.gz"})
    void systemFootprint_bundledTrace_agreesWithTheCReplayWithin15Percent(String name) throws Exception {
        Path trace = dir.resolve(name + ".a4jt");
        TraceFiles.write(TraceFiles.load(Settings.of(Path.of("traces", name).toString()), Progress.silent()), trace);
        Settings settings = Settings.builder(trace.toString()).runs(1).build();
        Object outcome;
        try (WorkerProcesses workers = WorkerProcesses.open()) {
            outcome = workers.run(trace, "system", settings);
        }
        if (!(outcome instanceof ReplayResult result)) {
            throw new AssertionError("the system replay did not run: " + outcome);
        }
        assertTrue(result.intact(), result.problems().toString());

        Path points = dir.resolve(name + ".points");
        Files.writeString(points, Arrays.stream(result.sampleEvents()).mapToObj(Long::toString)
                .collect(Collectors.joining("\n", "", "\n")));
        Process replay = new ProcessBuilder(program.toString(), trace.toString(), points.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(replay.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(replay.waitFor(5, TimeUnit.MINUTES), "the C replay did not finish");
        assertEquals(0, replay.exitValue(), "the C replay failed: " + lines);
        long reference = lines.stream().filter(l -> l.startsWith("peak ")).mapToLong(l -> Long.parseLong(l.substring(5)))
                .findFirst().orElseThrow(() -> new AssertionError("no peak line: " + lines));
        long measured = result.peakResident();
        double off = (double) (measured - reference) / reference;
        System.out.printf("%s: compare system peak footprint=%d, C replay (glibc) peak=%d, off by %+.1f%%%n", name,
                measured, reference, off * 100);
        assertTrue(Math.abs(off) <= TOLERANCE, name + ": compare measured peak footprint=" + measured
                + " bytes, the C replay " + reference + " bytes: off by " + String.format("%+.1f%%", off * 100)
                + ", expected within 15%");
    }
}
