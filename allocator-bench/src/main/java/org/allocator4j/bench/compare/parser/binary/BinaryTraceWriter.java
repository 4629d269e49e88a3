package org.allocator4j.bench.compare.parser.binary;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.allocator4j.bench.compare.Trace;

/**
 * Writes a trace in the format of {@link BinaryTraceDescriptor}, one event at a time, e.g. from an
 * allocator decorator that records what a program does. Not thread-safe: a recorder calls it under a lock.
 * {@link #close()} writes the end record; a file without it is read as truncated.
 */
public final class BinaryTraceWriter implements Closeable {
    private final OutputStream out;
    private long count;
    private boolean closed;

    /**
     * Starts a trace on {@code out} (which this writer closes) and writes the header.
     *
     * @param out where the bytes go; buffer it, or use {@link #open(Path)}
     * @throws IOException if the header cannot be written
     */
    public BinaryTraceWriter(OutputStream out) throws IOException {
        this.out = out;
        out.write(BinaryTraceDescriptor.MAGIC);
        out.write(BinaryTraceDescriptor.VERSION >>> 8);
        out.write(BinaryTraceDescriptor.VERSION);
        out.write(new byte[BinaryTraceDescriptor.HEADER_LENGTH - BinaryTraceDescriptor.FLAGS_OFFSET]);
    }

    /**
     * {@return a writer to a new file at {@code path}}, gzip-compressed if the name ends with {@code .gz}
     *
     * @throws IOException if the file cannot be created
     */
    public static BinaryTraceWriter open(Path path) throws IOException {
        OutputStream file = Files.newOutputStream(path);
        if (path.getFileName().toString().endsWith(".gz")) {
            file = new GZIPOutputStream(file, 1 << 16);
        }
        return new BinaryTraceWriter(new BufferedOutputStream(file, 1 << 16));
    }

    /**
     * Writes every event of {@code trace} to {@code path}.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Trace trace, Path path) throws IOException {
        try (BinaryTraceWriter writer = open(path)) {
            writer.writeAll(trace);
        }
    }

    /** Writes every event of {@code trace}. @throws IOException if writing fails */
    public void writeAll(Trace trace) throws IOException {
        for (int i = 0; i < trace.length(); i++) {
            switch (trace.kind(i)) {
                case Trace.ALLOC -> alloc(trace.id(i), trace.size(i), trace.alignment(i));
                case Trace.FREE -> free(trace.id(i));
                default -> realloc(trace.id(i), trace.size(i));
            }
        }
    }

    /**
     * Writes {@code alloc id size align}.
     *
     * @throws IllegalArgumentException if {@code id} or {@code size} is negative or {@code align} is not a
     *                                  power of two up to {@code 2^40}
     * @throws IOException              if writing fails
     */
    public void alloc(long id, long size, long align) throws IOException {
        checkNonNegative(id, "id");
        checkNonNegative(size, "size");
        if (align <= 0 || (align & (align - 1)) != 0 || align > 1L << BinaryTraceDescriptor.MAX_ALIGN_LOG2) {
            throw new IllegalArgumentException("align=" + align + " is not a power of two in [1, 2^"
                    + BinaryTraceDescriptor.MAX_ALIGN_LOG2 + "]");
        }
        out.write(BinaryTraceDescriptor.OP_ALLOC);
        writeVarint(id);
        writeVarint(size);
        out.write(Long.numberOfTrailingZeros(align));
        count++;
    }

    /** Writes {@code free id}. @throws IOException if writing fails */
    public void free(long id) throws IOException {
        checkNonNegative(id, "id");
        out.write(BinaryTraceDescriptor.OP_FREE);
        writeVarint(id);
        count++;
    }

    /** Writes {@code realloc id newSize}. @throws IOException if writing fails */
    public void realloc(long id, long newSize) throws IOException {
        checkNonNegative(id, "id");
        checkNonNegative(newSize, "newSize");
        out.write(BinaryTraceDescriptor.OP_REALLOC);
        writeVarint(id);
        writeVarint(newSize);
        count++;
    }

    /** Writes the end record and closes the stream; later calls do nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            out.write(BinaryTraceDescriptor.OP_END);
            writeVarint(count);
        }
    }

    private void writeVarint(long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void checkNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + "=" + value + " is negative; expected " + name + " >= 0");
        }
    }
}
