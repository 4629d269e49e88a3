package org.allocator4j.bench.compare;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.allocator4j.bench.compare.parser.binary.BinaryTraceReader;
import org.allocator4j.bench.compare.parser.mtrace.MtraceReader;
import org.allocator4j.bench.compare.parser.synthetic.SyntheticWorkload;
import org.allocator4j.tracking.TraceFormat;
import org.allocator4j.tracking.TraceWriter;

/**
 * Finds the reader for a trace: {@code synthetic:NAME} is generated; a file is gunzipped if it starts with
 * gzip's magic, then read as a binary trace if it starts with {@code A4JTRACE}, else as an mtrace file.
 * Writes a trace as a binary trace ({@link TraceFormat}, with the tracking module's {@link TraceWriter}).
 */
final class TraceFiles {
    private TraceFiles() {
    }

    /**
     * {@return the trace {@code settings.trace()} names}
     *
     * @throws TraceFormatException     if the file is malformed
     * @throws IllegalArgumentException if a synthetic workload name is unknown
     * @throws IOException              if the file cannot be read
     */
    static Trace load(Settings settings, Progress progress) throws IOException {
        String name = settings.trace();
        if (name.startsWith(SyntheticWorkload.PREFIX)) {
            return SyntheticWorkload.named(name.substring(SyntheticWorkload.PREFIX.length()))
                    .trace(settings.seed(), settings.scale());
        }
        Path path = Path.of(name);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(name, null, "no such trace file (expected an mtrace file, a binary "
                    + "trace, or synthetic:NAME)");
        }
        long fileSize = Files.size(path);
        progress.start("reading " + path.getFileName(), fileSize);
        try (InputStream raw = new CountingStream(Files.newInputStream(path), progress)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (startsWith(in, new byte[] {0x1f, (byte) 0x8b})) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            String source = path.getFileName().toString();
            return startsWith(in, TraceFormat.magic())
                    ? BinaryTraceReader.read(source, in)
                    : MtraceReader.read(source, in);
        } finally {
            progress.finish();
        }
    }

    /**
     * Writes every event of {@code trace} to {@code path} as a binary trace, gzip-compressed if the name
     * ends with {@code .gz}.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Trace trace, Path path) throws IOException {
        try (TraceWriter writer = TraceWriter.open(path)) {
            for (int i = 0; i < trace.length(); i++) {
                switch (trace.kind(i)) {
                    case Trace.ALLOC -> writer.alloc(trace.id(i), trace.size(i), trace.alignment(i));
                    case Trace.FREE -> writer.free(trace.id(i));
                    default -> writer.realloc(trace.id(i), trace.size(i));
                }
            }
        }
    }

    private static boolean startsWith(InputStream in, byte[] prefix) throws IOException {
        in.mark(prefix.length);
        byte[] head = in.readNBytes(prefix.length);
        in.reset();
        return java.util.Arrays.equals(head, prefix);
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
