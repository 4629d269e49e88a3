package org.allocator4j.tracking;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/**
 * Told of every allocation, free and failure of a tracking allocator, after it happened, on the thread
 * that made it: for users who feed their own metrics. Register with {@link Tracking.Builder#listener}.
 *
 * <p>A listener must be thread-safe and quick. An exception it throws is logged and otherwise ignored:
 * it never fails the allocation it was told of.
 */
public interface AllocationListener {

    /**
     * A block was allocated (also for zero-size requests, with the dangling block).
     *
     * @param block  the new block
     * @param layout its layout
     */
    default void onAllocate(MemorySegment block, Layout layout) {
    }

    /**
     * A block was freed.
     *
     * @param block  the block, no longer live
     * @param layout its layout
     */
    default void onDeallocate(MemorySegment block, Layout layout) {
    }

    /**
     * A block was reallocated.
     *
     * @implSpec The default calls {@link #onDeallocate} for the old block, then {@link #onAllocate} for
     * the new one.
     *
     * @param oldBlock  the old block, no longer live
     * @param oldLayout its layout
     * @param newBlock  the new block
     * @param newLayout its layout
     */
    default void onReallocate(MemorySegment oldBlock, Layout oldLayout, MemorySegment newBlock, Layout newLayout) {
        onDeallocate(oldBlock, oldLayout);
        onAllocate(newBlock, newLayout);
    }

    /**
     * A request failed.
     *
     * @param layout  the layout requested
     * @param failure the exception about to be thrown to the caller
     */
    default void onFailure(Layout layout, AllocationException failure) {
    }

    /**
     * {@return a listener that logs every allocation, free and failure with its address, size and
     * alignment to {@code logger} at {@link System.Logger.Level#DEBUG} (failures at {@code WARNING})}
     * While {@code DEBUG} is off it costs one {@code isLoggable} call per operation and builds no message.
     *
     * @param logger where to log
     */
    static AllocationListener logging(System.Logger logger) {
        return new LoggingListener(Objects.requireNonNull(logger, "logger"), null);
    }

    /**
     * {@return a listener that logs to {@link System#getLogger(String) System.getLogger("org.allocator4j.tracking")}}
     */
    static AllocationListener logging() {
        return logging(System.getLogger("org.allocator4j.tracking"));
    }

    /**
     * {@return a listener that prints one line per allocation, free and failure to {@code out}}
     *
     * @param out where to print
     */
    static AllocationListener logging(PrintStream out) {
        return new LoggingListener(null, Objects.requireNonNull(out, "out"));
    }
}
