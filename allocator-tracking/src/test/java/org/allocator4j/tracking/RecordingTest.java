package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.trace.TraceEvents;
import org.allocator4j.trace.TraceFormat;
import org.allocator4j.trace.TraceFormatException;
import org.allocator4j.trace.TraceReader;
import org.allocator4j.trace.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tracking.Builder#recordTo(Path)}: what a recording tracking allocator writes, and when. */
class RecordingTest {

    private static Tracking.Builder recording(Path file) {
        return Tracking.builder(GlobalAllocator.system()).recordTo(file).sampleEvery(0).jmx(false);
    }

    /** {@return the trace in {@code file} as text, one event a line: {@code alloc 0 8 2}, {@code free 0}} */
    static List<String> events(Path file) throws IOException {
        try (TraceEvents reader = Traces.open(file)) {
            return events(reader);
        }
    }

    static List<String> events(TraceEvents reader) throws IOException {
        List<String> events = new ArrayList<>();
        while (reader.next()) {
            events.add(reader.describe());
        }
        return events;
    }

    @Test
    void recordTo_javaProgram_recordsEveryCallInOrderByTheZeroSizeRule(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("java.a4jt.gz");
        try (TrackingAllocator recorder = recording(file).build()) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                blocks.add(recorder.allocate(Layout.of(i * 8L, 1L << (i % 7))));
            }
            MemorySegment grown = recorder.reallocate(blocks.get(0), Layout.of(8, 2), 4000);
            recorder.deallocate(grown, Layout.of(4000, 2));
            MemorySegment empty = recorder.allocate(Layout.of(0, 8));                  // not recorded
            recorder.deallocate(empty, Layout.of(0, 8));                               // not recorded
            MemorySegment fromEmpty = recorder.reallocate(empty, Layout.of(0, 8), 24); // recorded as an alloc
            recorder.reallocate(fromEmpty, Layout.of(24, 8), 0);                       // recorded as a free
            recorder.reallocate(empty, Layout.of(0, 8), 0);                            // not recorded
            MemorySegment zeroed = recorder.allocateZeroed(Layout.of(40, 8));
            recorder.deallocate(zeroed, Layout.of(40, 8));
            for (int i = 1; i < blocks.size(); i++) {
                recorder.deallocate(blocks.get(i), Layout.of((i + 1) * 8L, 1L << ((i + 1) % 7)));
            }
        }
        List<String> events = events(file);
        assertEquals(100 + 2 + 2 + 2 + 99, events.size(), events::toString);
        assertEquals("alloc 0 8 2", events.get(0));
        assertEquals("alloc 99 800 4", events.get(99));
        assertEquals("realloc 0 4000", events.get(100));
        assertEquals("free 0", events.get(101));
        assertEquals("alloc 100 24 8", events.get(102));
        assertEquals("free 100", events.get(103));
        assertEquals("alloc 101 40 8", events.get(104));
        assertEquals("free 101", events.get(105));
        assertEquals("free 1", events.get(106));
        assertEquals("free 99", events.getLast());
    }

    @Test
    void recordTo_failedAllocationsAndReallocations_areNotRecordedAndTakeNoId(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.a4jt");
        try (TrackingAllocator recorder = recording(file).budget(1 << 20).build()) {
            assertThrows(BudgetExceededException.class, () -> recorder.allocate(Layout.ofSize(2 << 20)));
            MemorySegment a = recorder.allocate(Layout.ofSize(64));
            assertThrows(BudgetExceededException.class, () -> recorder.reallocate(a, Layout.ofSize(64), 2 << 20));
            recorder.deallocate(a, Layout.ofSize(64));
        }
        try (TrackingAllocator recorder = recording(dir.resolve("huge.a4jt")).build()) {
            assertThrows(AllocationException.class, () -> recorder.allocate(Layout.of(1L << 60, 8)));
            MemorySegment b = recorder.allocate(Layout.ofSize(16));
            assertThrows(AllocationException.class, () -> recorder.reallocate(b, Layout.ofSize(16), 1L << 60));
            recorder.deallocate(b, Layout.ofSize(16));
        }
        assertEquals(List.of("alloc 0 64 1", "free 0"), events(file));
        assertEquals(List.of("alloc 0 16 1", "free 0"), events(dir.resolve("huge.a4jt")));
    }

    @Test
    void recordTo_checkedModeMisuse_isNotRecorded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.a4jt");
        try (TrackingAllocator recorder = recording(file).checked(true).build()) {
            MemorySegment a = recorder.allocate(Layout.of(32, 8));
            assertThrows(AllocatorMisuseException.class, () -> recorder.deallocate(a, Layout.of(48, 8)));
            recorder.deallocate(a, Layout.of(32, 8));
            assertThrows(AllocatorMisuseException.class, () -> recorder.deallocate(a, Layout.of(32, 8)));
            assertThrows(AllocatorMisuseException.class, () -> recorder.reallocate(a, Layout.of(32, 8), 64));
            MemorySegment b = recorder.allocate(Layout.of(16, 8));
            MemorySegment c = recorder.reallocate(b, Layout.of(16, 8), 100);
            recorder.deallocate(c, Layout.of(100, 8));
        }
        assertEquals(List.of("alloc 0 32 8", "free 0", "alloc 1 16 8", "realloc 1 100", "free 1"), events(file));
    }

    @Test
    void recordTo_blockNeverSeen_getsAFreshIdWhenFreed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.a4jt");
        MemorySegment before = GlobalAllocator.system().allocate(Layout.ofSize(24));
        MemorySegment other = GlobalAllocator.system().allocate(Layout.ofSize(40));
        try (TrackingAllocator recorder = recording(file).build()) {
            MemorySegment a = recorder.allocate(Layout.ofSize(8));
            recorder.deallocate(before, Layout.ofSize(24));
            MemorySegment moved = recorder.reallocate(other, Layout.ofSize(40), 80);
            recorder.deallocate(a, Layout.ofSize(8));
            recorder.deallocate(moved, Layout.ofSize(80));
        }
        assertEquals(List.of("alloc 0 8 1", "free 1", "realloc 2 80", "free 0", "free 2"), events(file));
    }

    @Test
    void recordTo_scopesAndSegmentAllocators_areRecordedToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.a4jt");
        try (TrackingAllocator recorder = recording(file).build()) {
            try (BudgetScope scope = recorder.openScope("request", 1 << 20)) {
                scope.deallocate(scope.allocate(Layout.of(128, 16)), Layout.of(128, 16));
            }
            try (var arena = recorder.openArena()) {
                arena.allocate(64, 8);
            }
        }
        List<String> events = events(file);
        assertEquals(List.of("alloc 0 128 16", "free 0"), events.subList(0, 2));
        assertEquals(events.size(), 4, events::toString);
        assertTrue(events.get(2).startsWith("alloc 1 ") && events.get(3).equals("free 1"), events::toString);
    }

    @Test
    void close_endsTheTrace_andLaterCallsAreNotRecorded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.a4jt.gz");
        TrackingAllocator recorder = recording(file).build();
        assertTrue(recorder.toString().endsWith(", recordTo=" + file + "]"), recorder::toString);
        MemorySegment a = recorder.allocate(Layout.ofSize(8));
        recorder.close();
        assertEquals(List.of("alloc 0 8 1"), events(file), "complete: the end record is there");
        MemorySegment b = recorder.allocate(Layout.ofSize(16));
        recorder.deallocate(a, Layout.ofSize(8));
        recorder.deallocate(b, Layout.ofSize(16));
        recorder.close();
        assertEquals(List.of("alloc 0 8 1"), events(file));
        assertEquals(0, recorder.snapshot().liveBlocks(), "still tracked");
    }

    /** A stream that takes {@code limit} bytes, then fails every write as a full disk does. */
    private static final class FailingStream extends OutputStream {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private final int limit;
        int failures;

        FailingStream(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (taken.size() >= limit) {
                failures++;
                throw new IOException("No space left on device");
            }
            taken.write(b);
        }
    }

    /** Collects the records logged to the recorder's logger (and keeps them out of the build's output). */
    private static final class Captured extends Handler implements AutoCloseable {
        final List<LogRecord> records = new ArrayList<>();
        private final Logger logger = Logger.getLogger(TraceRecorder.class.getName());
        private final boolean parents = logger.getUseParentHandlers();

        Captured() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(parents);
        }
    }

    @Test
    void recordTo_streamFails_stopsRecordingWarnsOnceAndKeepsAllocating() throws IOException {
        FailingStream stream = new FailingStream(TraceFormat.HEADER_LENGTH + 100);
        try (Captured log = new Captured()) {
            TrackingAllocator recorder = Tracking.builder(GlobalAllocator.system()).recordTo(stream).sampleEvery(0)
                    .jmx(false).build();
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // ~4 bytes a record: the stream fails after about 25
                blocks.add(recorder.allocate(Layout.of(64, 8)));
                blocks.set(i, recorder.reallocate(blocks.get(i), Layout.of(64, 8), 128));
            }
            for (MemorySegment block : blocks) {
                recorder.deallocate(block, Layout.of(128, 8));
            }
            recorder.close();
            assertEquals(200, recorder.snapshot().allocations());
            assertEquals(0, recorder.snapshot().liveBytes());
            assertEquals(1, stream.failures, "nothing is written after the first failure");
            assertEquals(1, log.records.size(), () -> log.records.stream().map(LogRecord::getMessage).toList().toString());
            LogRecord warning = log.records.getFirst();
            assertEquals(java.util.logging.Level.WARNING, warning.getLevel());
            assertTrue(warning.getMessage().contains("allocator 'tracking' stopped recording its trace to a stream"),
                    warning.getMessage());
            assertInstanceOf(IOException.class, warning.getThrown());
        }
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> events(new TraceReader("full", new ByteArrayInputStream(stream.taken.toByteArray()))));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("(truncated record)"),
                "what was written reads as truncated, not as a complete shorter trace: " + e.getMessage());
    }

    @Test
    void build_fileCannotBeCreated_throwsNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("no").resolve("such").resolve("t.a4jt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> recording(file).build());
        assertTrue(e.getMessage().startsWith("allocator 'tracking' cannot record a trace to file=" + file),
                e.getMessage());
    }

    @Test
    void provider_recordProperty_recordsTheProgram(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("provider.a4jt.gz");
        System.setProperty(Tracking.RECORD_PROPERTY, file.toString());
        System.setProperty(Tracking.JMX_PROPERTY, "false");
        TrackingAllocator recorder;
        try {
            recorder = assertInstanceOf(TrackingAllocator.class, new TrackingProvider().create());
        } finally {
            System.clearProperty(Tracking.RECORD_PROPERTY);
            System.clearProperty(Tracking.JMX_PROPERTY);
        }
        try (recorder) {
            MemorySegment a = recorder.allocate(Layout.of(48, 16));
            recorder.deallocate(recorder.reallocate(a, Layout.of(48, 16), 96), Layout.of(96, 16));
        }
        assertEquals(List.of("alloc 0 48 16", "realloc 0 96", "free 0"), events(file));
        try (TrackingAllocator plain = new TrackingProvider().create() instanceof TrackingAllocator t ? t : null) {
            assertTrue(!plain.toString().contains("recordTo"), "the property cleared, nothing records: " + plain);
        }
    }

    @Test
    void provider_recordPropertyNotAPath_throwsNamingIt() {
        System.setProperty(Tracking.RECORD_PROPERTY, "bad\0name");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrackingProvider().create());
            assertTrue(e.getMessage().startsWith("-Dallocator4j.tracking.record=bad"), e.getMessage());
        } finally {
            System.clearProperty(Tracking.RECORD_PROPERTY);
        }
    }

    @Test
    void builder_recordProperty_isForTheProviderOnly(@TempDir Path dir) {
        Path file = dir.resolve("provider-only.a4jt");
        System.setProperty(Tracking.RECORD_PROPERTY, file.toString());
        try (TrackingAllocator built = Tracking.builder(GlobalAllocator.system()).jmx(false).build()) {
            built.deallocate(built.allocate(Layout.ofSize(8)), Layout.ofSize(8));
            assertTrue(!built.toString().contains("recordTo"), built::toString);
        } finally {
            System.clearProperty(Tracking.RECORD_PROPERTY);
        }
        assertTrue(Files.notExists(file), "an allocator built in code records only when told to");
    }

    @Test
    void build_fileAnotherAllocatorRecordsTo_throwsUntilItIsClosed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one.a4jt");
        try (TrackingAllocator first = recording(file).name("first").build()) {
            first.deallocate(first.allocate(Layout.ofSize(8)), Layout.ofSize(8));
            Path sameFile = dir.resolve("sub").resolve("..").resolve("one.a4jt");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> recording(sameFile).name("second").build());
            assertEquals("allocator 'second' cannot record a trace to file=" + file.toAbsolutePath()
                    + ": allocator 'first' is recording to it; expected one file per recording allocator (close the "
                    + "other first)", e.getMessage());
            assertEquals(List.of("alloc 0 8 1", "free 0"), eventsAfterClose(first, file), "the first trace is intact");
        }
        Layout sixteen = Layout.ofSize(16);
        try (TrackingAllocator second = recording(file).name("second").build()) {
            MemorySegment kept = second.allocate(sixteen);
            try {
                assertEquals(List.of("alloc 0 16 1"), eventsAfterClose(second, file), "the block stays live in it");
            } finally {
                second.deallocate(kept, sixteen); // after the close: freed, not recorded
            }
        }
        assertEquals(List.of("alloc 0 16 1"), events(file));
    }

    private static List<String> eventsAfterClose(TrackingAllocator allocator, Path file) throws IOException {
        allocator.close();
        return events(file);
    }

    /** The program {@link #globalTracking_recordProperty_traceIsEndedAtJvmExit} runs: never closes its allocator. */
    static final class ExitWithoutClose {
        public static void main(String[] args) {
            GlobalAllocator global = GlobalAllocator.global();
            MemorySegment kept = global.allocate(Layout.of(100, 8));
            MemorySegment freed = global.allocate(Layout.of(200, 8));
            global.deallocate(freed, Layout.of(200, 8));
            System.out.println(global.name() + " " + kept.byteSize());
        }
    }

    @Test
    void globalTracking_recordProperty_traceIsEndedAtJvmExit(@TempDir Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("exit.a4jt.gz");
        // the running JVM's java: ProcessHandle's command may be unknown (in some containers)
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = dir.resolve("out.txt");
        Path stderr = dir.resolve("err.txt"); // apart, so a VM warning there cannot change stdout
        Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "-Dallocator4j.global=" + Tracking.NAME,
                "-D" + Tracking.RECORD_PROPERTY + "=" + file, ExitWithoutClose.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("child JVM did not finish in 60 s");
        }
        String out = Files.readString(stdout);
        String both = "stdout: " + out + "\nstderr: " + Files.readString(stderr);
        assertEquals(0, process.exitValue(), both);
        assertEquals("tracking 100" + System.lineSeparator(), out, both);
        assertEquals(List.of("alloc 0 100 8", "alloc 1 200 8", "free 1"), events(file), "ended by the shutdown hook");
    }
}
