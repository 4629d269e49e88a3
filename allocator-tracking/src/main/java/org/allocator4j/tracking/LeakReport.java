package org.allocator4j.tracking;

import java.util.List;

/**
 * The live blocks of a tracking allocator (or of a budget scope) grouped by allocation site, largest
 * first: {@link TrackingAllocator#leaks()}.
 *
 * <p>Sites are recorded for one allocation in {@code sampleEvery} per thread (every allocation in checked
 * mode), so {@link #leaks()} covers the recorded blocks only, while {@link #liveBlocks()} and
 * {@link #liveBytes()} count every live block.
 *
 * @param allocatorName the allocator (or scope) reported on
 * @param liveBlocks    every live block, recorded or not
 * @param liveBytes     their bytes
 * @param sampleEvery   1 in how many allocations has its site recorded (1 = all; 0 = none)
 * @param leaks         the recorded live blocks grouped by site, most bytes first
 */
public record LeakReport(String allocatorName, long liveBlocks, long liveBytes, int sampleEvery, List<Leak> leaks) {

    /** Copies the list. */
    public LeakReport {
        leaks = List.copyOf(leaks);
    }

    /** {@return whether no block is live} */
    public boolean isEmpty() {
        return liveBlocks == 0 && leaks.isEmpty();
    }

    /**
     * {@return the report as text: a headline, then one line per site with its stack} For logs, test
     * failures and the shutdown report.
     */
    public String format() {
        StringBuilder text = new StringBuilder();
        text.append("allocator '").append(allocatorName).append("': ").append(liveBytes).append(" bytes in ")
                .append(liveBlocks).append(" live block(s)");
        if (sampleEvery == 0) {
            text.append(" (sites not recorded: sampling is off)");
        } else if (sampleEvery > 1) {
            text.append(" (sites recorded for 1 in ").append(sampleEvery).append(" allocations)");
        }
        for (Leak leak : leaks) {
            text.append("\n  ").append(leak).append('\n').append(leak.site().stackTrace());
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
