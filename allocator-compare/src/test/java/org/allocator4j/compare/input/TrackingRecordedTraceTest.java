package org.allocator4j.compare.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.Progress;
import org.allocator4j.compare.Settings;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.replay.Worker;
import org.allocator4j.compare.strategy.Strategy;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} replays what the tracking allocator records (its format and semantics: tracking's tests). */
class TrackingRecordedTraceTest {
    /** The bundled Java trace, relative to the module directory surefire runs in. */
    private static final Path BUNDLED_JAVA = Path.of("traces", "java-offheap-index.a4jt.gz");
    /** The recipe's input, the bundled mtrace file ({@code traces/record-java.sh}). */
    private static final Path BUNDLED_MTRACE = Path.of("traces", "python3-json.mtrace.gz");

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static void assertReplaysIntact(Trace trace) throws IOException {
        TraceSummary summary = TraceSummary.of(trace);
        assertEquals(0, summary.unknownFrees() + summary.unknownReallocs() + summary.liveAtEnd(), summary.toString());
        Path file = Files.createTempFile("allocator4j-test-", ".a4jt");
        try {
            TraceFiles.write(trace, file);
            ReplayResult result = Worker.replay(file, Strategy.of(GlobalAllocator.system()), 1, 10, true, 0);
            assertTrue(result.intact(), result.problems().toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void load_trackingRecordedJavaProgram_replaysIntact(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("java.a4jt.gz");
        try (TrackingAllocator recorder = Tracking.builder(GlobalAllocator.system()).recordTo(file).sampleEvery(0)
                .jmx(false).build()) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                blocks.add(recorder.allocate(Layout.of(i * 8L, 1L << (i % 7))));
            }
            MemorySegment grown = recorder.reallocate(blocks.get(0), Layout.of(8, 2), 4000);
            recorder.deallocate(grown, Layout.of(4000, 2));
            for (int i = 1; i < blocks.size(); i++) {
                recorder.deallocate(blocks.get(i), Layout.of((i + 1) * 8L, 1L << ((i + 1) % 7)));
            }
        }
        Trace trace = TraceFiles.load(Settings.of(file.toString()), Progress.silent());
        assertEquals(201, trace.length());
        assertEquals("alloc 0 8 2", trace.describe(0));
        assertEquals("realloc 0 4000", trace.describe(100));
        assertReplaysIntact(trace);
    }

    @Test
    void load_bundledJavaTrace_replaysIntact() throws IOException {
        Trace trace = TraceFiles.load(Settings.of(BUNDLED_JAVA.toString()), Progress.silent());
        assertEquals(240_050, trace.length());
        assertReplaysIntact(trace);
    }

    /**
     * The bundled trace is a tracking-recorded run: {@link JavaTraceRecipe} recording again gives the same
     * bytes, uncompressed.
     */
    @Test
    void recordTo_javaTraceRecipe_isTheBundledTrace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("java-offheap-index.a4jt.gz");
        JavaTraceRecipe.record(BUNDLED_MTRACE, file);
        byte[] recorded = gunzip(file);
        byte[] bundled = gunzip(BUNDLED_JAVA);
        assertTrue(Arrays.equals(recorded, bundled), () -> "recorded " + recorded.length + " bytes, bundled "
                + bundled.length + "; first difference at byte offset=" + Arrays.mismatch(recorded, bundled));
    }
}
