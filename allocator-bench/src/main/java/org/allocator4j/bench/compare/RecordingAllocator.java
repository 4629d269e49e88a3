package org.allocator4j.bench.compare;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.bench.compare.parser.binary.BinaryTraceWriter;

/**
 * A decorator that records what a Java program asks of an allocator as a binary trace
 * ({@link org.allocator4j.bench.compare.parser.binary.BinaryTraceDescriptor}), for {@code compare} to replay:
 * until the tracking module records traces itself, wrap the allocator a program uses in one of these.
 * Blocks are numbered in allocation order. Zero-size requests allocate nothing (the zero-size rule) and are
 * not recorded; reallocating a zero-size block is recorded as an allocation, reallocating to zero as a free.
 *
 * <p>Thread-safe: each call and its record are made under this object's lock, so the trace's order is an
 * order the calls really happened in. {@link #close()} ends the trace; calls after it are not recorded.
 * Recording costs a lock and a map lookup per call: do not measure a recorded run.
 */
public final class RecordingAllocator implements GlobalAllocator, Closeable {
    private final GlobalAllocator inner;
    private final BinaryTraceWriter writer;
    private final Map<Long, Long> ids = new HashMap<>();
    private long nextId;
    private boolean closed;

    private RecordingAllocator(GlobalAllocator inner, BinaryTraceWriter writer) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.writer = writer;
    }

    /**
     * {@return an allocator that allocates with {@code inner} and records every call to {@code file}}
     * (gzip-compressed if its name ends with {@code .gz})
     *
     * @throws IOException if the file cannot be created
     */
    public static RecordingAllocator recordTo(GlobalAllocator inner, Path file) throws IOException {
        return new RecordingAllocator(inner, BinaryTraceWriter.open(file));
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        MemorySegment block = inner.allocate(layout);
        if (layout.size() > 0) { // by the zero-size rule, a zero-size request allocates nothing: not recorded
            long id = nextId++;
            ids.put(block.address(), id);
            record(w -> w.alloc(id, layout.size(), layout.alignment()));
        }
        return block;
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        inner.deallocate(block, layout);
        if (layout.size() > 0) {
            Long id = ids.remove(block.address());
            // A block this recorder never saw gets a fresh id: the replay counts it as an unknown free.
            long recorded = id != null ? id : nextId++;
            record(w -> w.free(recorded));
        }
    }

    @Override
    public synchronized MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        MemorySegment moved = inner.reallocate(block, layout, newSize);
        Long old = layout.size() > 0 ? ids.remove(block.address()) : null;
        long id = old != null ? old : nextId++;
        if (layout.size() == 0) {
            if (newSize > 0) { // reallocating a zero-size block allocates
                ids.put(moved.address(), id);
                record(w -> w.alloc(id, newSize, layout.alignment()));
            }
        } else if (newSize == 0) { // reallocating to zero frees
            record(w -> w.free(id));
        } else {
            ids.put(moved.address(), id);
            record(w -> w.realloc(id, newSize));
        }
        return moved;
    }

    @Override
    public String name() {
        return inner.name();
    }

    /** Ends the trace (its end record) and closes the file; the inner allocator stays open. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    private interface Record {
        void to(BinaryTraceWriter writer) throws IOException;
    }

    private void record(Record record) {
        if (closed) {
            return;
        }
        try {
            record.to(writer);
        } catch (IOException e) {
            throw new UncheckedIOException("recording the trace failed", e);
        }
    }
}
