package org.allocator4j.compare.replay;

/**
 * The events of a trace, read again from the start for each pass of a replay, a batch at a time.
 */
interface EventSource extends AutoCloseable {
    /**
     * Fills {@code batch} (cleared first) with the next events, up to its capacity.
     *
     * @return false if there were no events left (the batch is then empty)
     */
    boolean fill(EventBatch batch);

    /** Starts again from the first event. */
    void restart();

    /** Releases the file. */
    @Override
    void close();
}
