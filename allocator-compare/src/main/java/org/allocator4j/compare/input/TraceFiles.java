package org.allocator4j.compare.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.allocator4j.compare.Progress;
import org.allocator4j.compare.Settings;
import org.allocator4j.trace.TraceEvents;
import org.allocator4j.trace.TraceFormat;
import org.allocator4j.trace.TraceWriter;
import org.allocator4j.trace.Traces;

/**
 * Finds the reader for a trace: {@code synthetic:NAME} is generated; a file is opened by
 * {@link Traces#open(String, InputStream)} (gunzipped if it starts with gzip's magic, then read as a binary
 * trace if it starts with {@code A4JTRACE}, else as an mtrace file). Writes a trace as a binary trace
 * ({@link TraceFormat}, with {@link TraceWriter}).
 */
public final class TraceFiles {
    private TraceFiles() {
    }

    /**
     * {@return the trace {@code settings.trace()} names}
     *
     * @throws org.allocator4j.trace.TraceFormatException if the file is malformed
     * @throws IllegalArgumentException                   if a synthetic workload name is unknown
     * @throws IOException                                if the file cannot be read
     */
    public static Trace load(Settings settings, Progress progress) throws IOException {
        String name = settings.trace();
        if (name.startsWith(SyntheticWorkload.PREFIX)) {
            return SyntheticWorkload.named(name.substring(SyntheticWorkload.PREFIX.length()))
                    .trace(settings.seed(), settings.scale());
        }
        Path path = Path.of(name);
        Traces.requireFile(path);
        long fileSize = Files.size(path);
        progress.start("reading " + path.getFileName(), fileSize);
        String source = path.getFileName().toString();
        try (TraceEvents events = Traces.open(source, new CountingStream(Files.newInputStream(path), progress))) {
            return read(events);
        } finally {
            progress.finish();
        }
    }

    /**
     * {@return every remaining event of {@code events}, in memory}
     *
     * @throws org.allocator4j.trace.TraceFormatException if the trace is malformed
     * @throws IOException                                if it cannot be read
     */
    public static Trace read(TraceEvents events) throws IOException {
        Trace.Builder trace = Trace.builder(events.source());
        while (events.next()) {
            switch (events.kind()) {
                case TraceEvents.ALLOC -> trace.alloc(events.id(), events.size(), events.alignment());
                case TraceEvents.FREE -> trace.free(events.id());
                default -> trace.realloc(events.id(), events.newSize());
            }
        }
        for (Map.Entry<String, Long> note : events.notes().entrySet()) {
            trace.note(note.getKey(), note.getValue());
        }
        return trace.build();
    }

    /**
     * Writes every event of {@code trace} to {@code path} as a binary trace, gzip-compressed if the name
     * ends with {@code .gz}.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Trace trace, Path path) throws IOException {
        try (TraceWriter writer = TraceWriter.open(path)) {
            writer.copy(trace.events());
        }
    }

    /**
     * Writes the trace {@code settings.trace()} names to {@code target} as a binary trace, streaming: a file is
     * read and written an event at a time (a synthetic workload is generated first), so that no trace is ever
     * held whole; the whole input is checked before anything is replayed.
     *
     * @param settings names the trace (and a synthetic workload's seed and scale)
     * @param target   the binary trace to write, gzip-compressed if its name ends with {@code .gz}; replaced
     * @param progress told the bytes read
     * @return the trace's name and notes, without events ({@link Trace#header(String, Map)}); the number of
     *         events is its summary's
     * @throws org.allocator4j.trace.TraceFormatException if the trace is malformed
     * @throws java.nio.file.FileSystemException          if there is no such file, or it is a directory
     * @throws IOException                                if a file cannot be read or written
     */
    public static Trace convert(Settings settings, Path target, Progress progress) throws IOException {
        String name = settings.trace();
        if (name.startsWith(SyntheticWorkload.PREFIX)) {
            Trace trace = load(settings, progress);
            write(trace, target);
            return Trace.header(trace.name(), trace.notes());
        }
        Path path = Path.of(name);
        Traces.requireFile(path);
        String source = path.getFileName().toString();
        progress.start("reading " + source, Files.size(path));
        try (TraceEvents events = Traces.open(source, new CountingStream(Files.newInputStream(path), progress));
             TraceWriter writer = TraceWriter.open(target)) {
            writer.copy(events);
            return Trace.header(source, events.notes());
        } finally {
            progress.finish();
        }
    }
    /** Reports the bytes read from the file (compressed, if it is) to a progress bar. */
    private static final class CountingStream extends FilterInputStream {
        private final Progress progress;
        private long count;

        CountingStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.update(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.update(count);
            }
            return n;
        }
    }
}
