package org.allocator4j.trace;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a trace in the format of {@link TraceFormat}, one record at a time, as a stream.
 *
 * <pre>{@code
 * try (TraceWriter trace = TraceWriter.open(Path.of("run.a4jt.gz"))) {
 *     trace.alloc(0, 4096, 64);
 *     trace.realloc(0, 8192);
 *     trace.free(0);
 * }
 * }</pre>
 *
 * <p>{@link #close()} writes the end record; a file without it is read as truncated.
 *
 * @implNote Not thread-safe: a tracking allocator that records calls it under its recorder's lock.
 */
public final class TraceWriter implements Closeable {
    private final OutputStream out;
    private long count;
    private boolean closed;

    /**
     * Starts a trace on {@code out} (which this writer closes) and writes the header.
     *
     * @param out where the bytes go; buffer it, or use {@link #open(Path)}
     * @throws IOException if the header cannot be written
     */
    public TraceWriter(OutputStream out) throws IOException {
        this.out = out;
        out.write(TraceFormat.magic());
        out.write(TraceFormat.VERSION >>> 8);
        out.write(TraceFormat.VERSION);
        out.write(new byte[TraceFormat.HEADER_LENGTH - TraceFormat.FLAGS_OFFSET]); // flags and reserved: 0
    }

    /**
     * {@return a writer to a new file at {@code path}}, gzip-compressed if the name ends with {@code .gz};
     * an existing file is replaced
     *
     * @param path the file
     * @throws IOException if the file cannot be created
     */
    public static TraceWriter open(Path path) throws IOException {
        OutputStream file = Files.newOutputStream(path);
        try {
            if (path.getFileName().toString().endsWith(".gz")) {
                file = new GZIPOutputStream(file, 1 << 16);
            }
            return new TraceWriter(new BufferedOutputStream(file, 1 << 16));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Writes {@code alloc id size alignment}.
     *
     * @param id        the block's id
     * @param size      its size in bytes
     * @param alignment its alignment
     * @throws IllegalArgumentException if {@code id < 0}, {@code size < 0}, or {@code alignment} is not a
     *                                  power of two in {@code [1, 2^40]}; nothing is written
     * @throws IOException              if writing fails
     */
    public void alloc(long id, long size, long alignment) throws IOException {
        checkNonNegative(id, "id");
        checkNonNegative(size, "size");
        int alignLog2 = TraceFormat.alignLog2(alignment);
        out.write(TraceFormat.OP_ALLOC);
        writeVarint(id);
        writeVarint(size);
        out.write(alignLog2);
        count++;
    }

    /**
     * Writes {@code free id}.
     *
     * @param id the block's id
     * @throws IllegalArgumentException if {@code id < 0}; nothing is written
     * @throws IOException              if writing fails
     */
    public void free(long id) throws IOException {
        checkNonNegative(id, "id");
        out.write(TraceFormat.OP_FREE);
        writeVarint(id);
        count++;
    }

    /**
     * Writes {@code realloc id newSize}.
     *
     * @param id      the block's id
     * @param newSize its new size in bytes
     * @throws IllegalArgumentException if {@code id < 0} or {@code newSize < 0}; nothing is written
     * @throws IOException              if writing fails
     */
    public void realloc(long id, long newSize) throws IOException {
        checkNonNegative(id, "id");
        checkNonNegative(newSize, "newSize");
        out.write(TraceFormat.OP_REALLOC);
        writeVarint(id);
        writeVarint(newSize);
        count++;
    }

    /** {@return the number of records written so far, not counting the end record} */
    public long count() {
        return count;
    }

    /**
     * Writes the end record and closes the stream; later calls do nothing.
     *
     * @throws IOException if writing or closing fails (the stream is closed anyway)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            out.write(TraceFormat.OP_END);
            writeVarint(count);
        }
    }

    /**
     * Writes every remaining event of {@code events}, to its end.
     *
     * @param events the trace to copy
     * @return the number of events written
     * @throws TraceFormatException if {@code events} is malformed (what was written stays, without the end record
     *                              until {@link #close()})
     * @throws IOException          if reading or writing fails
     */
    public long copy(TraceEvents events) throws IOException {
        long before = count;
        while (events.next()) {
            switch (events.kind()) {
                case TraceEvents.ALLOC -> alloc(events.id(), events.size(), events.alignment());
                case TraceEvents.FREE -> free(events.id());
                default -> realloc(events.id(), events.newSize());
            }
        }
        return count - before;
    }

    /**
     * Closes the stream without the end record, so that readers see the trace as truncated (a recorder that
     * failed part way); later calls do nothing.
     *
     * @throws IOException if closing fails
     */
    public void abort() throws IOException {
        closed = true;
        out.close();
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
