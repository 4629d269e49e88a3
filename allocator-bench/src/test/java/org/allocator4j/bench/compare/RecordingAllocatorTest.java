package org.allocator4j.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingAllocatorTest {
    @Test
    void recordTo_javaProgram_givesATraceThatReplaysIntact(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("java.a4jt.gz");
        try (RecordingAllocator recorder = RecordingAllocator.recordTo(GlobalAllocator.system(), file)) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                blocks.add(recorder.allocate(Layout.of(i * 8L, 1L << (i % 7))));
            }
            MemorySegment grown = recorder.reallocate(blocks.get(0), Layout.of(8, 2), 4000);
            recorder.deallocate(grown, Layout.of(4000, 2));
            MemorySegment empty = recorder.allocate(Layout.of(0, 8));           // not recorded
            MemorySegment fromEmpty = recorder.reallocate(empty, Layout.of(0, 8), 24); // recorded as an alloc
            recorder.reallocate(fromEmpty, Layout.of(24, 8), 0);                // recorded as a free
            for (int i = 1; i < blocks.size(); i++) {
                recorder.deallocate(blocks.get(i), Layout.of((i + 1) * 8L, 1L << ((i + 1) % 7)));
            }
        }
        Trace trace = TraceFiles.load(Settings.of(file.toString()), Progress.silent());
        assertEquals("alloc 0 8 2", trace.describe(0));
        assertEquals("realloc 0 4000", trace.describe(100));
        assertEquals("free 0", trace.describe(101));
        assertEquals("alloc 100 24 8", trace.describe(102));
        assertEquals("free 100", trace.describe(103));
        TraceSummary summary = TraceSummary.of(trace);
        assertEquals(0, summary.unknownFrees() + summary.unknownReallocs() + summary.liveAtEnd(), summary.toString());
        ReplayResult result = new Replayer(10, true, Progress.silent()).replay(trace,
                Strategy.of(GlobalAllocator.system()), trace.length(), summary.peakEvent());
        assertTrue(result.intact(), result.problems().toString());
    }
}
