package org.allocator4j.compare.report;

import org.allocator4j.compare.footprint.ResidentMemory;

/** What each figure of the reports measures, in one place: the table, the JSON and the chart say the same. */
final class Measures {
    /** The footprint column: the one measure every row shares. */
    static final String FOOTPRINT = "Footprint: " + ResidentMemory.SOURCE + ", above a baseline read after the "
            + "warm-up, sampled at the same event counts for every strategy (each in a fresh worker JVM whose "
            + "Java heap is fixed and pre-touched, every block filled); peak over the samples.";
    /** The allocator's own figure. */
    static final String OWN = "Own figure: the allocator's own statistic (named per row), growth above its "
            + "value at the baseline; not comparable between rows.";
    /** The time columns. */
    static final String TIME = "Time: median and min..max of the timed replays (allocator calls and the "
            + "live-block table only: no block written, nothing checked or sampled; reading the trace outside "
            + "the clock). Loop: the same replay on an allocator that allocates nothing, included in the time "
            + "(not subtracted); net ns/event = (median time - median loop) / events.";
    /** The latency columns. */
    static final String LATENCY = "Latency: every call timed on its own in a separate pass (so the timed "
            + "replays carry no clock reads), HdrHistogram percentiles in ns; each includes one "
            + "System.nanoTime() (its cost is shown as 'timer').";

    private Measures() {
    }
}
