package org.allocator4j.compare.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.allocator4j.compare.Progress;
import org.allocator4j.compare.Settings;
import org.allocator4j.trace.TraceFormat;

/**
 * {@link TraceFiles#write} then {@link TraceFiles#load}: a trace comes back event for event, plain or
 * gzip-compressed (the format's own round trip and errors: tracking's {@code TraceFormatTest}).
 */
class TraceFilesRoundTripTest {
    /**
     * One step of a generated trace: {@code kind} 1-3 as in {@link Trace}; an alloc takes {@code id} (a
     * realloc of it if that id is live), a free or realloc takes live block {@code pick} modulo their number.
     */
    record Step(int kind, long id, int pick, long size, int alignLog2) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // few ids, so that freed ids are allocated again; and any id up to Long.MAX_VALUE
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs().between(0, 50),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 5000),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(Arbitraries.integers().between(Trace.ALLOC, Trace.REALLOC), ids,
                Arbitraries.integers().between(0, Integer.MAX_VALUE), sizes,
                Arbitraries.integers().between(0, TraceFormat.MAX_ALIGN_LOG2)).as(Step::new).list().ofMaxSize(300);
    }

    /** {@return the valid trace {@code steps} make: every free and realloc is of a live id} */
    private static Trace trace(List<Step> steps) {
        Trace.Builder trace = Trace.builder("generated");
        List<Long> live = new ArrayList<>();
        Set<Long> liveIds = new HashSet<>();
        for (Step s : steps) {
            if (s.kind() == Trace.ALLOC || live.isEmpty()) {
                if (liveIds.add(s.id())) {
                    live.add(s.id());
                    trace.alloc(s.id(), s.size(), 1L << s.alignLog2());
                } else {
                    trace.realloc(s.id(), s.size());
                }
            } else if (s.kind() == Trace.FREE) {
                long id = live.remove(s.pick() % live.size());
                liveIds.remove(id);
                trace.free(id);
            } else {
                trace.realloc(live.get(s.pick() % live.size()), s.size());
            }
        }
        return trace.build();
    }

    private static List<String> events(Trace trace) {
        List<String> events = new ArrayList<>(trace.length());
        for (int i = 0; i < trace.length(); i++) {
            events.add(trace.describe(i));
        }
        return events;
    }

    @Property(tries = 100)
    void load_writtenTrace_isTheSameTrace(@ForAll("steps") List<Step> steps, @ForAll boolean gzip)
            throws IOException {
        Trace written = trace(steps);
        Path file = Files.createTempFile("round-trip", gzip ? TraceFormat.SUFFIX + ".gz" : TraceFormat.SUFFIX);
        try {
            TraceFiles.write(written, file);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(2);
                assertEquals(gzip, head[0] == 0x1f && head[1] == (byte) 0x8b, "gzip-compressed iff named .gz");
            }
            Trace loaded = TraceFiles.load(Settings.of(file.toString()), Progress.silent());
            assertEquals(events(written), events(loaded));
            assertEquals(written, loaded);
            assertEquals(file.getFileName().toString(), loaded.name());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
