package org.allocator4j.compare;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.allocator4j.api.AllocatorResolutionException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Resolution;

/**
 * The main job: says which global allocator this class path resolves to and from which jar, then runs
 * {@code compare} on the bundled traces (a glibc mtrace of a short python3 run, and a recorded Java program
 * that works off-heap), each replayed on every strategy, with a table on the terminal, a chart and JSON
 * under {@code target/compare/}.
 *
 * <p>Run with {@code mvn -q -DskipTests package exec:exec -pl allocator-compare -am}. This module has every
 * strategy on its class path, so the main job chooses one with {@code -Dallocator4j.global} (default
 * {@code slab}; {@code mvn ... -Dallocator4j.global=bump} picks another). Without a choice, resolution
 * fails as it would in any application with two strategies, and {@code Main} prints that report. With arguments,
 * {@code Main compare <trace> [options]} runs compare on another trace ({@code Main compare --help}).
 */
public final class Main {
    /** The bundled trace of a native program, relative to the allocator-compare directory. */
    public static final Path BUNDLED_TRACE = Path.of("traces", "python3-json.mtrace.gz");
    /** The bundled traces the main job replays: python3's mtrace, then a recorded Java program. */
    public static final List<Path> BUNDLED_TRACES = List.of(BUNDLED_TRACE, Path.of("traces", "java-offheap-index.a4jt.gz"));
    /** Where the main job writes its chart and JSON, relative to the allocator-compare directory. */
    public static final Path OUTPUT = Path.of("target", "compare");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        if (args.length > 0 && !args[0].equals("compare")) {
            out.println("usage: Main                      (the global allocator report, then compare on "
                    + BUNDLED_TRACES + ")");
            out.println("       Main compare <trace> [options]   (compare --help for the options)");
            return 2;
        }
        long start = System.nanoTime();
        try {
            GlobalAllocator allocator = GlobalAllocator.global();
            long resolveNanos = System.nanoTime() - start;
            Resolution resolution = GlobalAllocator.resolution();
            out.println(resolution.report());
            out.printf("global allocator: %s (first global() call took %.2f ms)%n", allocator.name(),
                    resolveNanos / 1e6);
            resolution.chosenCandidate().ifPresent(c -> out.println("provided by: " + c.source()));
        } catch (AllocatorResolutionException e) {
            // A library's global() would fail here; compare names each strategy itself, so it goes on.
            out.println(e.getMessage());
            out.println("global allocator: none (resolution failed, as it would for a library calling global());"
                    + " compare does not need one");
        }
        out.println("strategies available: " + GlobalAllocator.available());
        out.println();
        if (args.length > 0) {
            return Compare.run(Arrays.copyOfRange(args, 1, args.length), out);
        }
        Path base = Files.isDirectory(Path.of("traces")) ? Path.of("") : Path.of("allocator-compare");
        int status = 0;
        for (Path bundled : BUNDLED_TRACES) {
            Path trace = base.resolve(bundled);
            if (!Files.isRegularFile(trace)) {
                out.println("compare: the bundled trace " + bundled + " is not here (working directory "
                        + Path.of("").toAbsolutePath() + "); run from the repository or allocator-compare directory");
                return 2;
            }
            String stem = trace.getFileName().toString().replaceFirst("\\.(mtrace|a4jt)\\.gz$", "");
            Path output = base.resolve(OUTPUT);
            out.println("compare " + trace + " (recipe: traces/" + (stem.startsWith("java") ? "record-java.sh" : "record-mtrace.sh") + ")");
            Settings settings = Settings.of(trace.toString())
                    .withOutputs(output.resolve(stem + ".json"), output.resolve(stem + ".html"));
            status = Math.max(status, Compare.run(settings, out));
            out.println();
        }
        return status;
    }
}
