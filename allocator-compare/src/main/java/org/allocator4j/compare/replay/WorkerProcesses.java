package org.allocator4j.compare.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.allocator4j.compare.Settings;
import org.allocator4j.compare.strategy.StrategyRegistry;

/**
 * The worker processes of one {@code compare} run and their files: a private work directory (the converted
 * trace, each worker's result), one worker JVM per strategy ({@link ReplayWorker}) with the options of
 * {@link Settings#workerOptions()}, each killed after {@link Settings#timeout()}.
 *
 * <p>Nothing outlives the run: {@link #close()} kills any worker still running and deletes the work
 * directory; a shutdown hook does the same when the parent is stopped (Ctrl-C, SIGTERM). A parent killed by
 * SIGKILL runs no hook, so each worker watches its standard input, a pipe from the parent
 * ({@link #exitWithParent(Path)}): when the parent dies the pipe closes, and the worker deletes the work
 * directory and exits by itself.
 *
 * <p>A worker's outcome: its result ({@link ReplayResult}, or a {@link StrategyRegistry.Skipped} if its
 * strategy cannot be used here), or a failed {@link StrategyRegistry.Skipped} saying what happened: timed out
 * and killed, out of memory, or exited with a status and no result.
 */
public final class WorkerProcesses implements AutoCloseable {
    /** The prefix of every work directory; a worker removes only a directory named so. */
    static final String PREFIX = "allocator4j-compare-";
    /** The status HotSpot exits with on {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OUT_OF_MEMORY_STATUS = 3;
    /** The system property a worker is told its parent's pid by. */
    static final String PARENT_PID_PROPERTY = "allocator4j.compare.parentPid";
    /** The status a worker exits with when its parent is gone. */
    static final int ORPHANED_STATUS = 143;
    /** How long a worker has to exit after SIGTERM before it is killed with SIGKILL. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** How long a worker whose pipe closed waits for its parent to be gone before it takes it as alive. */
    private static final Duration PARENT_GONE_WAIT = Duration.ofSeconds(3);

    private final Path directory;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private WorkerProcesses(Path directory) {
        this.directory = directory;
        this.shutdownHook = new Thread(this::cleanUp, "allocator4j-compare-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * {@return the workers of a new run, with a new work directory under {@code java.io.tmpdir}}
     *
     * @throws IOException if the directory cannot be created
     */
    public static WorkerProcesses open() throws IOException {
        return new WorkerProcesses(Files.createTempDirectory(PREFIX));
    }

    /** {@return the work directory, deleted with everything in it by {@link #close()}} */
    public Path directory() {
        return directory;
    }

    /**
     * Replays {@code traceFile} on the strategy {@code name} in a new worker JVM and waits for it, at most
     * {@link Settings#timeout()}.
     *
     * @param traceFile a binary trace in the work directory
     * @param name      the strategy
     * @param settings  the run's settings: the worker's JVM options, the timeout, the replay's settings
     * @return a {@link ReplayResult}; a {@link StrategyRegistry.Skipped} if the strategy cannot be used; or a
     *         {@linkplain StrategyRegistry.Skipped#failed() failed} one if the worker timed out, ran out of
     *         memory or exited without a result
     * @throws IOException if the JVM cannot be started or its result read
     */
    public Object run(Path traceFile, String name, Settings settings) throws IOException {
        Path result = Files.createTempFile(directory, "result-" + name + "-", ".bin");
        try {
            Process process = start(command(traceFile, name, result, settings));
            running.add(process);
            boolean finished;
            try {
                finished = process.waitFor(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
                if (!finished) {
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the replay of " + name, e);
            } finally {
                running.remove(process);
                closeQuietly(process.getOutputStream());
            }
            if (!finished) {
                return new StrategyRegistry.Skipped(name, "timed out: its worker ran longer than --timeout "
                        + format(settings.timeout()) + " and was killed", true);
            }
            int status = process.exitValue();
            if (status == OUT_OF_MEMORY_STATUS) {
                return new StrategyRegistry.Skipped(name, "out of memory: its worker exited with status=" + status
                        + " (-XX:+ExitOnOutOfMemoryError); give it more with -J-Xmx..., e.g. -J-Xmx2g", true);
            }
            if (status != 0 || Files.size(result) == 0) {
                return new StrategyRegistry.Skipped(name, "its worker JVM exited with status=" + status
                        + " and no result (crashed, or a JVM option it rejects? see its output above)", true);
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

    /** Kills every worker still running and deletes the work directory. Idempotent. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, and finds everything cleaned up
        }
    }

    /**
     * Called first thing by a worker: exits the worker when its parent is gone, even by SIGKILL. A daemon
     * thread reads the worker's standard input, a pipe from the parent that the parent never writes: when
     * it ends the parent is gone, so the thread deletes the work directory (the one holding
     * {@code resultFile}, if it is named as {@link #open()} names them) and halts the JVM with status
     * {@value #ORPHANED_STATUS}.
     *
     * @param resultFile the worker's result file, in the parent's work directory
     */
    public static void exitWithParent(Path resultFile) {
        // The parent's pid as the parent gave it: a parent killed before this JVM got here has already been
        // replaced by init or a subreaper, which current().parent() would return instead.
        long parentPid = Long.getLong(PARENT_PID_PROPERTY, -1);
        Optional<ProcessHandle> parent = parentPid < 0 ? ProcessHandle.current().parent() : ProcessHandle.of(parentPid);
        Thread watchdog = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] discard = new byte[64];
                while (in.read(discard) >= 0) {
                    // the parent writes nothing; read until the pipe closes
                }
            } catch (IOException e) {
                // a broken pipe: the parent is gone as well
            }
            // The pipe also closes when the parent kills this worker (Process.destroy closes it): then the
            // parent lives on and keeps its work directory. Only a parent that is gone leaves it to us.
            if (parent.isEmpty() || !alive(parent.get(), PARENT_GONE_WAIT)) {
                Path directory = resultFile.toAbsolutePath().getParent();
                if (directory != null && directory.getFileName() != null
                        && directory.getFileName().toString().startsWith(PREFIX)) {
                    deleteTree(directory);
                }
            }
            Runtime.getRuntime().halt(ORPHANED_STATUS);
        }, "allocator4j-compare-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private List<String> command(Path traceFile, String name, Path result, Settings settings) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        // a clear one-line message and its own status instead of an OutOfMemoryError's stack trace
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(Worker.JVM_OPTIONS); // a fixed, pre-touched heap: the footprint's baseline holds still
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("allocator4j.")) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.addAll(settings.workerOptions()); // after the defaults, so that they can override them
        command.add(ReplayWorker.class.getName());
        command.addAll(ReplayWorker.arguments(traceFile, name, result, settings));
        return command;
    }

    private static Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT); // stdin stays a pipe: the worker's watchdog
        Map<String, String> env = builder.environment();
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        if (!tunables.contains("optional_static_tls")) {
            tunables = tunables.isEmpty() ? ReplayWorker.STATIC_TLS_TUNABLE : tunables + ":" + ReplayWorker.STATIC_TLS_TUNABLE;
        }
        if (!tunables.contains("arena_max")) {
            tunables = tunables + ":" + ReplayWorker.ARENA_MAX_TUNABLE;
        }
        env.put("GLIBC_TUNABLES", tunables);
        return builder.start();
    }

    /**
     * {@return whether {@code parent} is still this process's parent after waiting up to {@code wait} for it
     * to be gone}: a parent that dies leaves this process to another (init, or a subreaper) at once, even
     * while the dead parent is a zombie not yet reaped
     */
    private static boolean alive(ProcessHandle parent, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean same = ProcessHandle.current().parent().map(p -> p.pid() == parent.pid()).orElse(false);
            if (!same || !parent.isAlive()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return true;
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process process : running) {
            process.destroyForcibly();
        }
        for (Process process : running) {
            try {
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        deleteTree(directory);
    }

    /** Deletes {@code directory} and the files in it (work directories hold no subdirectories). */
    private static void deleteTree(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the work directory " + directory, e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the worker is gone
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }
}
