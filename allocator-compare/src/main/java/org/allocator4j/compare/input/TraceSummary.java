package org.allocator4j.compare.input;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.allocator4j.trace.BlockTable;
import org.allocator4j.trace.TraceEvents;

/**
 * What a trace asks for, independent of any allocator: event counts, bytes, the peak of live bytes and the
 * anomalies the replay will meet (frees of ids that are not live, reallocs of blocks that are not live).
 *
 * @param events           number of events
 * @param allocs           alloc events
 * @param frees            free events
 * @param reallocs         realloc events
 * @param allocatedBytes   bytes requested by allocs and by reallocs that grow
 * @param peakLiveBytes    the most bytes live at once
 * @param peakEvent        the index of the event after which {@code peakLiveBytes} were live
 * @param unknownFrees     frees of an id that was not live (never allocated, or already freed)
 * @param unknownReallocs  reallocs of an id that was not live (replayed as allocations)
 * @param liveAtEnd        blocks the trace never frees
 */
public record TraceSummary(long events, long allocs, long frees, long reallocs, long allocatedBytes,
                           long peakLiveBytes, int peakEvent, long unknownFrees, long unknownReallocs,
                           long liveAtEnd) {

    /** {@return the summary of {@code trace}} */
    public static TraceSummary of(Trace trace) {
        try {
            return of(trace.events());
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory trace cannot fail to read", e);
        }
    }

    /**
     * {@return the summary of the remaining events of {@code events}}, read in one streaming pass that holds
     * only the live blocks' sizes
     *
     * @throws org.allocator4j.trace.TraceFormatException if the trace is malformed
     * @throws IOException                                if it cannot be read
     */
    public static TraceSummary of(TraceEvents events) throws IOException {
        BlockTable live = new BlockTable(); // id -> size
        long count = 0, allocs = 0, frees = 0, reallocs = 0, allocated = 0, liveBytes = 0, peak = 0,
                unknownFrees = 0, unknownReallocs = 0;
        long peakEvent = -1;
        for (; events.next(); count++) {
            long id = events.id();
            long size = events.size();
            switch (events.kind()) {
                case TraceEvents.ALLOC -> {
                    allocs++;
                    allocated += size;
                    long old = live.put(id, size);
                    liveBytes += size - (old == BlockTable.ABSENT ? 0 : old);
                }
                case TraceEvents.FREE -> {
                    frees++;
                    long old = live.remove(id);
                    if (old == BlockTable.ABSENT) {
                        unknownFrees++;
                    } else {
                        liveBytes -= old;
                    }
                }
                default -> {
                    reallocs++;
                    long old = live.put(id, size);
                    if (old == BlockTable.ABSENT) {
                        unknownReallocs++;
                        old = 0;
                    }
                    allocated += Math.max(0, size - old);
                    liveBytes += size - old;
                }
            }
            if (liveBytes > peak) {
                peak = liveBytes;
                peakEvent = count;
            }
        }
        if (peakEvent > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("trace " + events.source() + " peaks at event " + peakEvent
                    + ", beyond the " + Integer.MAX_VALUE + " events a replay indexes; split it");
        }
        return new TraceSummary(count, allocs, frees, reallocs, allocated, peak, (int) peakEvent,
                unknownFrees, unknownReallocs, live.size());
    }
}
