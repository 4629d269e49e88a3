package org.allocator4j.compare.replay;

import java.io.Serializable;
import java.util.List;

/**
 * What replaying a trace on one strategy gave. Serializable: a worker JVM sends it back to {@link Compare}.
 *
 * @param strategy         the strategy's name
 * @param kind             {@code built-in}, {@code native}, {@code provider} or {@code given}
 * @param footprintSource  what the footprint figures measure, or {@code "n/a"}
 * @param aborted          why the replay stopped early (the allocator threw something other than
 *                         {@code AllocationException}), or null if it replayed every event
 * @param events           events replayed
 * @param wallNanos        time of the replay loop, footprint sampling excluded, filling and checking the
 *                         integrity pattern included
 * @param callNanos        time spent in the allocator's allocate, reallocate and deallocate calls, timer
 *                         overhead subtracted
 * @param calls            allocator calls timed
 * @param peakLiveBytes    the most bytes live at once
 * @param peakFootprint    the most bytes held from the OS or the parent above the baseline, -1 if n/a
 * @param retainedBytes    bytes still held after every block was freed, -1 if n/a
 * @param fragmentation    mean over the samples of {@code (footprint - live) / footprint}, NaN if n/a
 * @param failures         requests that threw {@code AllocationException}
 * @param corruptBlocks    blocks whose integrity pattern was broken when checked
 * @param contractErrors   blocks of the wrong size or alignment
 * @param unknownFrees     frees of an id that was not live (skipped)
 * @param unknownReallocs  reallocs of an id that was not live (replayed as allocations)
 * @param liveAtEnd        blocks the trace left live (freed by the replay at the end)
 * @param problems         the first few problems, described
 * @param sampleEvents     the event index of each sample
 * @param sampleLive       live bytes at each sample
 * @param sampleFootprint  footprint at each sample (0 if n/a)
 */
public record ReplayResult(String strategy, String kind, String footprintSource, String aborted, long events,
                           long wallNanos, long callNanos, long calls, long peakLiveBytes, long peakFootprint,
                           long retainedBytes, double fragmentation, long failures, long corruptBlocks,
                           long contractErrors, long unknownFrees, long unknownReallocs, long liveAtEnd,
                           List<String> problems, long[] sampleEvents, long[] sampleLive, long[] sampleFootprint)
        implements Serializable {

    /** {@return whether the footprint was measured} */
    public boolean hasFootprint() {
        return peakFootprint >= 0;
    }

    /** {@return peak footprint / peak live bytes, NaN if n/a} */
    public double footprintRatio() {
        return hasFootprint() && peakLiveBytes > 0 ? (double) peakFootprint / peakLiveBytes : Double.NaN;
    }

    /** {@return mean nanoseconds per allocator call} */
    public double nanosPerCall() {
        return calls == 0 ? Double.NaN : (double) callNanos / calls;
    }

    /** {@return whether the replay found no corruption, no contract error and was not aborted} */
    public boolean intact() {
        return aborted == null && corruptBlocks == 0 && contractErrors == 0;
    }
}
