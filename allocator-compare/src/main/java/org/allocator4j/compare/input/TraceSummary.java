package org.allocator4j.compare.input;

import java.util.HashMap;
import java.util.Map;

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
        Map<Long, Long> live = new HashMap<>();
        long allocs = 0, frees = 0, reallocs = 0, allocated = 0, liveBytes = 0, peak = 0, unknownFrees = 0,
                unknownReallocs = 0;
        int peakEvent = -1;
        for (int i = 0; i < trace.length(); i++) {
            long id = trace.id(i);
            long size = trace.size(i);
            switch (trace.kind(i)) {
                case Trace.ALLOC -> {
                    allocs++;
                    allocated += size;
                    Long old = live.put(id, size);
                    liveBytes += size - (old == null ? 0 : old);
                }
                case Trace.FREE -> {
                    frees++;
                    Long old = live.remove(id);
                    if (old == null) {
                        unknownFrees++;
                    } else {
                        liveBytes -= old;
                    }
                }
                default -> {
                    reallocs++;
                    Long old = live.put(id, size);
                    if (old == null) {
                        unknownReallocs++;
                        old = 0L;
                    }
                    allocated += Math.max(0, size - old);
                    liveBytes += size - old;
                }
            }
            if (liveBytes > peak) {
                peak = liveBytes;
                peakEvent = i;
            }
        }
        return new TraceSummary(trace.length(), allocs, frees, reallocs, allocated, peak, peakEvent,
                unknownFrees, unknownReallocs, live.size());
    }
}
