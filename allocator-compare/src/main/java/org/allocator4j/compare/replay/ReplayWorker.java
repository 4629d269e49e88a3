package org.allocator4j.compare.replay;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.allocator4j.compare.Settings;
import org.allocator4j.compare.strategy.StrategyRegistry;

/**
 * Replays a trace on one strategy in a JVM of its own ({@link Worker#replay}), started by
 * {@link WorkerProcesses} for each strategy: no
 * strategy inherits the heap another left behind, the JVM's own malloc arenas are as small as they get,
 * and a strategy that crashes the JVM ends only its own replay.
 *
 * <p>The parent writes the trace as a binary trace file and starts
 * {@code java ... ReplayWorker TRACE STRATEGY RESULT SAMPLES VERIFY WARMUP_EVENTS RUNS}; the worker writes a
 * {@link ReplayResult}, or a {@link StrategyRegistry.Skipped} if the strategy cannot be used here, to
 * {@code RESULT} with Java serialization, and exits 0.
 */
public final class ReplayWorker {
    /** Debian's libjemalloc.so.2 needs static TLS room when loaded into a running JVM. */
    public static final String STATIC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=16384";
    /**
     * Enough glibc arenas for every JVM thread to get one of its own, so that the replaying thread's arena
     * holds the replay's blocks only; the default, 8 per core, is fewer than a JVM's threads on a small
     * machine. A single-threaded replay allocates the same either way.
     */
    public static final String ARENA_MAX_TUNABLE = "glibc.malloc.arena_max=1024";

    private ReplayWorker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: ReplayWorker TRACE STRATEGY RESULT SAMPLES VERIFY WARMUP_EVENTS RUNS");
            System.exit(2);
        }
        Path traceFile = Path.of(args[0]);
        WorkerProcesses.exitWithParent(Path.of(args[2]));
        String name = args[1];
        Object result = Worker.replay(traceFile, name, Integer.parseInt(args[6]), Integer.parseInt(args[3]),
                Boolean.parseBoolean(args[4]), Long.parseLong(args[5]));
        try (OutputStream file = Files.newOutputStream(Path.of(args[2]));
             ObjectOutputStream out = new ObjectOutputStream(file)) {
            out.writeObject(result);
        }
    }

    /**
     * {@return the arguments of {@link #main} for one replay}: what {@link WorkerProcesses} starts this class
     * with
     *
     * @param traceFile  the binary trace to replay
     * @param name       the strategy
     * @param resultFile where the worker writes its result
     * @param settings   the replay's settings
     */
    public static List<String> arguments(Path traceFile, String name, Path resultFile, Settings settings) {
        return List.of(traceFile.toString(), name, resultFile.toString(), Integer.toString(settings.samples()),
                Boolean.toString(settings.verify()), Long.toString(settings.warmupEvents()),
                Integer.toString(settings.runs()));
    }
}
