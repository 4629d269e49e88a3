package org.allocator4j.tracking;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.allocator4j.api.Layout;
import org.allocator4j.trace.TraceFormat;
import org.allocator4j.trace.TraceWriter;

/**
 * A tracking allocator's trace recorder ({@link Tracking.Builder#recordTo(Path)}): numbers blocks in
 * allocation order and writes every accepted allocation, free and reallocation to a {@link TraceWriter}.
 *
 * <p><b>Ordering.</b> The trace names blocks by id, the recorder maps addresses to ids, and an address is
 * reused as soon as the inner allocator has it back. So a record must be written in the order the inner
 * allocator saw the calls: a free recorded after another thread re-allocated the same address would free
 * the new block's id, and a listener (called after the operation, outside any lock) cannot promise that.
 * A tracking allocator that records therefore takes this recorder's one lock around each inner call and
 * its record ({@link #step(TraceRecorder)} to {@link Step#close()}): the trace is the order in which the
 * calls held the lock, an order the inner allocator really saw them in. Only calls that return normally
 * are recorded: a failed allocation, or checked mode's misuse (which throws before reaching the inner
 * allocator), leaves no record and takes no id.
 *
 * <p><b>Cost.</b> Every operation of the recording allocator, on every thread, runs the inner call
 * under this one lock, plus a boxed map update and a few buffered bytes: threads allocating at once queue
 * for the lock. Recording is a diagnostic mode; do not measure a recorded run.
 *
 * <p><b>Failures.</b> An {@link IOException} while recording (a full disk) stops recording: one WARNING is
 * logged, the file is left without its end record (a reader reports it truncated), and allocation goes on
 * unrecorded. {@link #end()} writes the end record; a shutdown hook calls it at JVM exit if nobody did
 * (waiting at most {@value #HOOK_WAIT_SECONDS} s for the lock, so that a thread stuck in an inner call
 * cannot hang the exit; the trace is then left truncated).
 *
 * <p>One file, one recorder: two recorders writing one file would interleave into garbage, so a file
 * stays taken (by its absolute, normalized path) from {@link #start} to {@link #end()}.
 */
final class TraceRecorder {
    private static final System.Logger LOG = System.getLogger(TraceRecorder.class.getName());
    private static final long HOOK_WAIT_SECONDS = 5;
    /** The files recorders are writing, to the allocator writing each. */
    private static final Map<Path, String> FILES = new ConcurrentHashMap<>();

    /** The lock of one recorded step, and its record. */
    interface Step extends AutoCloseable {
        /** Records the allocation of {@code block} (nothing for a zero-size layout). */
        void allocated(MemorySegment block, Layout layout);

        /** Records the free of {@code block} (nothing for a zero-size layout). */
        void freed(MemorySegment block, Layout layout);

        /** Records the reallocation of {@code block} into {@code result}, by the zero-size rule. */
        void reallocated(MemorySegment block, Layout layout, MemorySegment result, long newSize);

        /** Releases the lock. */
        @Override
        void close();
    }

    /** The step of an allocator that does not record: records nothing, holds nothing. */
    private static final Step OFF = new Step() {
        @Override
        public void allocated(MemorySegment block, Layout layout) {
        }

        @Override
        public void freed(MemorySegment block, Layout layout) {
        }

        @Override
        public void reallocated(MemorySegment block, Layout layout, MemorySegment result, long newSize) {
        }

        @Override
        public void close() {
        }
    };

    private final String allocatorName;
    private final String destination;
    private final Path file; // the key in FILES, or null for a stream
    private final ReentrantLock lock = new ReentrantLock();
    private final Step locked = new Locked();
    private final Thread shutdownHook;
    // Guarded by lock:
    private TraceWriter writer; // null once ended or failed
    private final Map<Long, Long> ids = new HashMap<>(); // address of a live recorded block -> its id
    private long nextId;

    private TraceRecorder(String allocatorName, String destination, Path file, TraceWriter writer) {
        this.allocatorName = allocatorName;
        this.destination = destination;
        this.file = file;
        this.writer = writer;
        this.shutdownHook = new Thread(this::end, "allocator4j-tracking-trace-end");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * {@return a recorder of the allocator these options build, or null if they do not record}
     *
     * @throws UncheckedIOException  if the trace file cannot be created
     * @throws IllegalStateException if another recorder is writing that file
     */
    static TraceRecorder start(Tracking.Builder options) {
        Path key = null;
        try {
            if (options.recordStream != null) {
                return started(options.name, "a stream", null, new TraceWriter(options.recordStream));
            }
            if (options.recordTo == null) {
                return null;
            }
            key = options.recordTo.toAbsolutePath().normalize();
            String writing = FILES.putIfAbsent(key, options.name);
            if (writing != null) {
                Path taken = key;
                key = null; // not ours to release
                throw new IllegalStateException("allocator '" + options.name + "' cannot record a trace to file="
                        + taken + ": allocator '" + writing + "' is recording to it; expected one file per "
                        + "recording allocator (close the other first)");
            }
            return started(options.name, options.recordTo.toString(), key, TraceWriter.open(options.recordTo));
        } catch (IOException e) {
            if (key != null) {
                FILES.remove(key);
            }
            throw new UncheckedIOException("allocator '" + options.name + "' cannot record a trace to "
                    + (options.recordTo != null ? "file=" + options.recordTo : "the stream") + ": " + e.getMessage(), e);
        }
    }

    /** {@return a recorder of {@code writer}}; if it cannot be made (the JVM is exiting), the writer is aborted */
    private static TraceRecorder started(String name, String destination, Path file, TraceWriter writer) {
        try {
            return new TraceRecorder(name, destination, file, writer);
        } catch (RuntimeException | Error e) { // addShutdownHook: IllegalStateException once the JVM exits
            if (file != null) {
                FILES.remove(file);
            }
            try {
                writer.abort();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * {@return the step of one inner call}: takes the lock of {@code recorder} until the step is closed, or
     * does nothing if {@code recorder} is null (not recording)
     */
    static Step step(TraceRecorder recorder) {
        if (recorder == null) {
            return OFF;
        }
        recorder.lock.lock();
        return recorder.locked;
    }

    /** Writes the end record and closes the file; later operations are not recorded. Idempotent. */
    void end() {
        boolean hook = Thread.currentThread() == shutdownHook;
        if (hook) {
            try {
                if (!lock.tryLock(HOOK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    return; // a thread holds the lock through the exit: leave the trace truncated, not the JVM hung
                }
            } catch (InterruptedException e) {
                return;
            }
        } else {
            lock.lock();
        }
        try {
            if (writer == null) {
                return;
            }
            TraceWriter ending = writer;
            writer = null;
            ids.clear();
            try {
                ending.close();
            } catch (IOException e) {
                warn(e);
            }
            release();
        } finally {
            lock.unlock();
        }
        if (!hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway, and finds the trace ended
            }
        }
    }

    @Override
    public String toString() {
        return destination;
    }

    /** The step of a recording allocator: its methods run with the lock held. */
    private final class Locked implements Step {
        @Override
        public void allocated(MemorySegment block, Layout layout) {
            if (layout.size() != 0) { // the zero-size rule: nothing was allocated, nothing is recorded
                alloc(block, layout.size(), layout.alignment());
            }
        }

        @Override
        public void freed(MemorySegment block, Layout layout) {
            if (layout.size() != 0) {
                free(idOf(block));
            }
        }

        @Override
        public void reallocated(MemorySegment block, Layout layout, MemorySegment result, long newSize) {
            if (layout.size() == 0) {
                if (newSize != 0) { // reallocating a zero-size block allocates
                    alloc(result, newSize, layout.alignment());
                }
                return;
            }
            long id = idOf(block);
            if (newSize == 0) { // reallocating to zero frees
                free(id);
            } else if (writer != null) {
                ids.put(result.address(), id);
                write(id, newSize, 0, TraceFormat.OP_REALLOC);
            }
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /** {@return the id of the recorded block at {@code block}'s address, forgotten; a fresh one if unseen} */
    private long idOf(MemorySegment block) {
        Long id = ids.remove(block.address());
        // A block this recorder never saw (allocated before recording, or by another allocator) gets a
        // fresh id: the replay counts it as an unknown free or reallocation.
        return id != null ? id : nextId++;
    }

    private void alloc(MemorySegment block, long size, long alignment) {
        if (writer != null) {
            long id = nextId++;
            ids.put(block.address(), id);
            write(id, size, alignment, TraceFormat.OP_ALLOC);
        }
    }

    private void free(long id) {
        write(id, 0, 0, TraceFormat.OP_FREE);
    }

    private void write(long id, long size, long alignment, int op) {
        if (writer == null) {
            return;
        }
        try {
            switch (op) {
                case TraceFormat.OP_ALLOC -> writer.alloc(id, size, alignment);
                case TraceFormat.OP_FREE -> writer.free(id);
                default -> writer.realloc(id, size);
            }
        } catch (IOException | IllegalArgumentException e) { // IAE: an alignment above 2^40, not recordable
            TraceWriter failed = writer;
            writer = null;
            ids.clear();
            release();
            warn(e);
            try {
                failed.abort();
            } catch (IOException ignored) {
                // already reported: the file is incomplete either way
            }
        }
    }

    /** Frees the file for another recorder. */
    private void release() {
        if (file != null) {
            FILES.remove(file);
        }
    }

    private void warn(Exception e) {
        LOG.log(Level.WARNING, "allocator '" + allocatorName + "' stopped recording its trace to " + destination
                + " (the trace ends here, without its end record; allocation goes on unrecorded): " + e, e);
    }
}
