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
 * <p>The runnable jar's main class: {@code java -jar allocator-compare-VERSION.jar} runs the main job,
 * {@code java -jar allocator-compare-VERSION.jar TRACE [options]} compare on another trace, and {@code --help}
 * prints the options. {@code mvn -q -DskipTests package exec:exec -pl allocator-compare -am} builds the jar and
 * runs the main job with the build's JDK. The jar holds every strategy, so the main job chooses one with
 * {@code -Dallocator4j.global} (default {@code slab}; {@code mvn ... -Dallocator4j.global=bump} picks another).
 * Without a choice, resolution fails as it would in any application with two strategies, and {@code Main}
 * prints that report; compare, which names each strategy itself, goes on.
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

    /**
     * The entry point of the runnable jar: {@code java -jar allocator-compare.jar [TRACE [options]]}.
     *
     * @param args see {@link #run(String[], PrintStream)}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the main job (no arguments) or {@code compare} on the arguments, and returns the exit status.
     *
     * @param args nothing for the main job; else compare's {@code TRACE [options]} (a first argument
     *             {@code compare} is skipped)
     * @param out  where the report, the tables and the messages go
     */
    public static int run(String[] args, PrintStream out) {
        if (args.length > 0 && args[0].equals("compare")) {
            args = Arrays.copyOfRange(args, 1, args.length);
            if (args.length == 0) {
                return Compare.run(args, out); // the usage, exit status 2
            }
        }
        if (args.length > 0 && List.of(args).stream().anyMatch(a -> a.equals("-h") || a.equals("--help")
                || a.equals("-V") || a.equals("--version"))) {
            return Compare.run(args, out);
        }
        report(out);
        if (args.length > 0) {
            return Compare.run(args, out);
        }
        return mainJob(out);
    }

    /** Prints which global allocator this class path resolves to, from which jar, and the strategies there are. */
    private static void report(PrintStream out) {
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
    }

    /** Runs compare on each bundled trace; {@return the worst exit status} */
    private static int mainJob(PrintStream out) {
        Path base = Files.isDirectory(Path.of("traces")) ? Path.of("") : Path.of("allocator-compare");
        ExitStatus status = ExitStatus.OK;
        for (Path bundled : BUNDLED_TRACES) {
            Path trace = base.resolve(bundled);
            if (!Files.isRegularFile(trace)) {
                out.println("compare: the bundled trace " + bundled + " is not here (working directory "
                        + Path.of("").toAbsolutePath() + "); run from the repository or allocator-compare directory");
                return ExitStatus.USAGE.code();
            }
            String stem = trace.getFileName().toString().replaceFirst("\\.(mtrace|a4jt)\\.gz$", "");
            Path output = base.resolve(OUTPUT);
            out.println("compare " + trace + " (recipe: traces/" + (stem.startsWith("java") ? "record-java.sh" : "record-mtrace.sh") + ")");
            Settings settings = Settings.of(trace.toString())
                    .withOutputs(output.resolve(stem + ".json"), output.resolve(stem + ".html"));
            status = status.worst(ExitStatus.ofCode(Compare.run(settings, out)));
            out.println();
        }
        return status.code();
    }
}
