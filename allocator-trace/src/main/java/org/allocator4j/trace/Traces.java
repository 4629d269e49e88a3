package org.allocator4j.trace;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens a trace file by its format: an allocator4j binary trace ({@code .a4jt}, {@link TraceReader}) or a
 * glibc mtrace file ({@code .mtrace}, {@link MtraceReader}), either optionally gzip-compressed ({@code .gz}).
 * The format is told by the file's first bytes, not its name: gzip's magic {@code 1f 8b}, then the binary
 * format's {@value TraceFormat#MAGIC}; anything else is read as mtrace text.
 */
public final class Traces {
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final int BUFFER = 1 << 16;

    private Traces() {
    }

    /**
     * {@return the events of the trace file at {@code path}}, read as a stream
     *
     * @param path the file
     * @throws NoSuchFileException  if there is no such file
     * @throws FileSystemException  if {@code path} is a directory, or not a regular file
     * @throws TraceFormatException if its header is malformed, or a gzip header is truncated
     * @throws IOException          if it cannot be read
     */
    public static TraceEvents open(Path path) throws IOException {
        requireFile(path);
        return open(path.getFileName().toString(), Files.newInputStream(path));
    }

    /**
     * Checks that {@code path} is a trace file that can be opened, as {@link #open(Path)} does first.
     *
     * @param path the file
     * @throws NoSuchFileException if there is no such file
     * @throws FileSystemException if {@code path} is a directory, or not a regular file
     */
    public static void requireFile(Path path) throws FileSystemException {
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory; expected a trace file");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such trace file");
        }
        if (!Files.isRegularFile(path)) {
            throw new FileSystemException(path.toString(), null, "is not a regular file; expected a trace file");
        }
    }

    /**
     * {@return the events of the trace in {@code in}}, gunzipped if it starts with gzip's magic, read as a
     * stream; closing the result closes {@code in}
     *
     * @param source the trace's name, for messages
     * @param in     the trace's bytes
     * @throws TraceFormatException if its header is malformed, or a gzip header is truncated
     * @throws IOException          if it cannot be read
     */
    public static TraceEvents open(String source, InputStream in) throws IOException {
        InputStream stream = new BufferedInputStream(in, BUFFER);
        try {
            if (startsWith(stream, GZIP_MAGIC)) {
                try {
                    stream = new BufferedInputStream(new GZIPInputStream(stream, BUFFER), BUFFER);
                } catch (EOFException | ZipException e) {
                    throw TraceFormatException.truncated(source, -1, 0, 0, "none", e);
                }
            }
            boolean binary;
            try {
                binary = startsWith(stream, TraceFormat.magic());
            } catch (EOFException | ZipException e) {
                throw TraceFormatException.truncated(source, -1, 0, 0, "none", e);
            }
            return binary ? new TraceReader(source, stream) : new MtraceReader(source, stream);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private static boolean startsWith(InputStream in, byte[] prefix) throws IOException {
        in.mark(prefix.length);
        byte[] head = in.readNBytes(prefix.length);
        in.reset();
        return Arrays.equals(head, prefix);
    }
}
