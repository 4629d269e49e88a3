package org.allocator4j.compare.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.allocator4j.compare.Settings;
import org.allocator4j.compare.strategy.StrategyRegistry;


/**
 * Replays a trace on one strategy in a JVM of its own, started by {@link Compare} for each strategy: no
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
        String name = args[1];
        Object result = Worker.replay(traceFile, name, Integer.parseInt(args[6]), Integer.parseInt(args[3]),
                Boolean.parseBoolean(args[4]), Long.parseLong(args[5]));
        try (OutputStream file = Files.newOutputStream(Path.of(args[2]));
             ObjectOutputStream out = new ObjectOutputStream(file)) {
            out.writeObject(result);
        }
    }

    /**
     * {@return the result of replaying {@code traceFile} on the strategy {@code name} in a new JVM}: a
     * {@link ReplayResult}, or a {@link StrategyRegistry.Skipped} if it cannot be used or its JVM failed
     *
     * @param traceFile a binary trace
     * @throws IOException if the JVM cannot be started or its result read
     */
    public static Object run(Path traceFile, String name, Settings settings) throws IOException {
        Path result = Files.createTempFile("allocator4j-compare-", ".result");
        try {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(Worker.JVM_OPTIONS);
            command.addAll(settings.workerOptions()); // after ours: a user's -Xmx wins
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            for (String key : System.getProperties().stringPropertyNames()) {
                if (key.startsWith("allocator4j.")) {
                    command.add("-D" + key + "=" + System.getProperty(key));
                }
            }
            command.add(ReplayWorker.class.getName());
            command.addAll(List.of(traceFile.toString(), name, result.toString(), Integer.toString(settings.samples()),
                    Boolean.toString(settings.verify()), Long.toString(settings.warmupEvents()),
                    Integer.toString(settings.runs())));
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            Map<String, String> env = builder.environment();
            String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
            if (!tunables.contains("optional_static_tls")) {
                tunables = tunables.isEmpty() ? STATIC_TLS_TUNABLE : tunables + ":" + STATIC_TLS_TUNABLE;
            }
            if (!tunables.contains("arena_max")) {
                tunables = tunables + ":" + ARENA_MAX_TUNABLE;
            }
            env.put("GLIBC_TUNABLES", tunables);
            int status;
            try {
                status = builder.start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the replay of " + name, e);
            }
            if (status != 0 || Files.size(result) == 0) {
                return new StrategyRegistry.Skipped(name, "its replay JVM exited with status=" + status
                        + " and no result (crashed? see its output above)");
            }
            try (InputStream file = Files.newInputStream(result); ObjectInputStream in = new ObjectInputStream(file)) {
                return in.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException("unreadable result of the replay of " + name, e);
            }
        } finally {
            Files.deleteIfExists(result);
        }
    }
}
