package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.allocator4j.compare.input.SyntheticWorkload;
import org.allocator4j.compare.input.TraceFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and faults: each gives its message and exit status ({@link ExitStatus}), never a stack trace. */
class FaultsTest {
    private static final Path BUNDLED = CompareTest.BUNDLED;

    private static String run(String... args) {
        return CompareTest.run(args);
    }

    @Test
    void run_emptyFile_exitsWithTwoAndSaysItHasNoEvents(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mtrace"));
        assertEquals("2\ncompare: empty.mtrace: at byte offset=0: expected at least one allocation event; found a "
                + "trace without events (an empty file, or only mtrace's '= Start' and '= End'?)\n", run(empty.toString()));
        Path startEnd = Files.writeString(dir.resolve("start-end.mtrace"), "= Start\n= End\n");
        assertTrue(run(startEnd.toString()).startsWith("2\ncompare: start-end.mtrace: at byte offset=0: expected at "
                + "least one allocation event"), run(startEnd.toString()));
    }

    @Test
    void run_truncatedGzip_namesTheOffsetAndTheLastEventRead(@TempDir Path dir) throws IOException {
        byte[] all = Files.readAllBytes(BUNDLED);
        Path cut = Files.write(dir.resolve("cut.mtrace.gz"), Arrays.copyOf(all, all.length / 2));
        String out = run(cut.toString(), "-c", "none");
        assertTrue(out.matches("(?s)2\ncompare: cut\\.mtrace\\.gz:\\d+: at byte offset=\\d+ \\(uncompressed\\): "
                + "expected a complete gzip stream; found it truncated or corrupt \\(Unexpected end of ZLIB input "
                + "stream\\) after \\d+ events; last event read: (alloc|free|realloc) \\d+.*\n"), out);

        Path binary = dir.resolve("larson.a4jt.gz");
        TraceFiles.write(SyntheticWorkload.LARSON.trace(5, 1), binary);
        byte[] bytes = Files.readAllBytes(binary);
        Files.write(binary, Arrays.copyOf(bytes, bytes.length - 100));
        String binaryOut = run(binary.toString(), "-c", "none");
        assertTrue(binaryOut.matches("(?s)2\ncompare: larson\\.a4jt\\.gz: at byte offset=\\d+ \\(uncompressed\\): "
                + "expected a complete gzip stream; found it truncated or corrupt \\(.*\\) after \\d+ events; last "
                + "event read: (alloc|free|realloc) \\d+.*\n"), binaryOut);
    }

    @Test
    void run_longLineWithControlCharacters_echoesItCutAndEscaped(@TempDir Path dir) throws IOException {
        String line = "+ 0x10 \u0007\u001b[31m" + "x".repeat(500);
        Path bad = Files.writeString(dir.resolve("bad.mtrace"), "= Start\n" + line + "\n", StandardCharsets.ISO_8859_1);
        String out = run(bad.toString());
        String echoed = out.substring(out.indexOf("found '") + "found '".length(), out.lastIndexOf('\''));
        assertTrue(out.startsWith("2\ncompare: bad.mtrace:2: expected a size in hexadecimal"), out);
        assertEquals(120, echoed.length(), echoed);
        assertTrue(echoed.startsWith("+ 0x10 \\x07\\x1b[31mxxx") && echoed.endsWith("x..."), echoed);
        assertFalse(out.chars().anyMatch(c -> c < 0x20 && c != '\n'), "no control character reaches the terminal");
    }

    @Test
    void run_directory_saysIsADirectoryNotNoSuchFile(@TempDir Path dir) {
        assertEquals("2\ncompare: " + dir + ": is a directory; expected a trace file\n", run(dir.toString()));
        assertEquals("2\ncompare: " + dir.resolve("nope.mtrace") + ": no such trace file\n",
                run(dir.resolve("nope.mtrace").toString()));
    }

    @Test
    void run_workerOptions_arePassedToTheWorker() {
        // A JVM option the worker's JVM rejects proves it got there: the worker exits without a result.
        String out = run("synthetic:larson", "-s", "system", "-c", "none", "--no-warmup", "--runs", "1",
                "-J-XX:+NoSuchJvmOptionAtAll");
        assertTrue(out.startsWith(ExitStatus.WORKER_FAILED.code() + "\n"), out);
        assertTrue(out.contains("compare: system: its worker JVM exited with status=1 and no result"), out);
        assertTrue(out.contains("skipped system: its worker JVM exited with status=1"), out);
    }

    @Test
    void run_hangingWorker_isKilledAfterTheTimeoutAndReported() {
        long start = System.nanoTime();
        String out = run("synthetic:larson", "-s", "system," + TestHangingProvider.NAME, "-c", "none", "--no-warmup",
                "--runs", "1", "--timeout", "30s", "-J-D" + TestHangingProvider.HANG_PROPERTY + "=true");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(out.startsWith(ExitStatus.WORKER_FAILED.code() + "\n"), out);
        assertTrue(out.contains("skipped " + TestHangingProvider.NAME + ": timed out: its worker ran longer than "
                + "--timeout 30s and was killed"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("system ")), "the other strategies still ran: " + out);
        assertTrue(seconds < 120, "killed after the timeout, not left hanging: " + seconds + " s");
    }

    @Test
    void run_outOfMemoryInTheParent_saysSoWithItsOwnStatusAndNoStackTrace() throws Exception {
        Result r = launch(List.of("-Xmx48m"), "synthetic:larson", "--scale", "400", "--in-process", "-s", "system",
                "-c", "none");
        assertTrue(r.process.waitFor(120, TimeUnit.SECONDS), "the parent ends");
        String out = r.output();
        assertEquals(ExitStatus.OUT_OF_MEMORY.code(), r.process.exitValue(), out);
        assertTrue(out.contains("compare: out of memory (Java heap space) with a Java heap of at most"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    @Test
    void parentTerminated_killsItsWorkerAndRemovesItsFiles(@TempDir Path dir) throws Exception {
        Result r = launch(List.of("-Djava.io.tmpdir=" + dir), "synthetic:larson", "-s", TestHangingProvider.NAME,
                "-c", "none", "--no-warmup", "-J-D" + TestHangingProvider.HANG_PROPERTY + "=true");
        ProcessHandle worker = awaitWorker(r.process);
        assertTrue(workDirectories(dir).size() == 1, "a work directory while it runs");
        r.process.destroy(); // SIGTERM: the shutdown hook
        assertTrue(r.process.waitFor(30, TimeUnit.SECONDS), "the parent ends");
        assertTrue(worker.onExit().get(30, TimeUnit.SECONDS) != null && !worker.isAlive(), "the worker is killed");
        assertEquals(List.of(), workDirectories(dir), "no file left");
    }

    @Test
    void parentKilled_itsWorkerExitsByItselfAndRemovesTheFiles(@TempDir Path dir) throws Exception {
        Result r = launch(List.of("-Djava.io.tmpdir=" + dir), "synthetic:larson", "-s", TestHangingProvider.NAME,
                "-c", "none", "--no-warmup", "-J-D" + TestHangingProvider.HANG_PROPERTY + "=true");
        ProcessHandle worker = awaitWorker(r.process);
        r.process.destroyForcibly(); // SIGKILL: no hook runs
        assertTrue(r.process.waitFor(30, TimeUnit.SECONDS), "the parent ends");
        worker.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(worker.isAlive(), "the orphaned worker exits by itself");
        assertEquals(List.of(), workDirectories(dir), "the worker removed the work directory");
    }

    /** A parent JVM, {@code Main} with {@code args}, its output gathered in a file. */
    private record Result(Process process, Path log) {
        String output() throws IOException {
            return Files.readString(log);
        }
    }

    private static Result launch(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("compare-faults-", ".log");
        log.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Result(process, log);
    }

    /** {@return the worker JVM {@code parent} starts, once it runs} */
    private static ProcessHandle awaitWorker(Process parent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = parent.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            assertTrue(parent.isAlive(), "the parent ended before starting its worker");
            Thread.sleep(100);
        }
        throw new AssertionError("no worker started within 60 s");
    }

    private static List<Path> workDirectories(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("allocator4j-compare-")).toList();
        }
    }

}
