package org.allocator4j.compare.replay;

/**
 * What a replay needs to know of a trace before its first pass, read in one pass of its own: how many
 * events, after which one live bytes peak (the {@link SamplePlan} samples it), and the most blocks live at
 * once (the live-block table's size, so that it does not grow during a timed run). Events are counted
 * as the replay treats them: an alloc of a live id replaces it, a realloc of an unknown id allocates.
 *
 * @param events         events in the trace
 * @param peakEvent      the index of the first event after which live bytes are at their most, -1 if never
 *                       above 0
 * @param peakLiveBytes  the most bytes live at once
 * @param peakLiveBlocks the most blocks live at once
 */
record TraceShape(long events, long peakEvent, long peakLiveBytes, long peakLiveBlocks) {

    /** {@return the shape of the events of {@code source}, read from its start} */
    static TraceShape of(EventSource source) {
        EventBatch batch = new EventBatch();
        LiveBlocks live = new LiveBlocks(1024);
        long events = 0;
        long peakEvent = -1;
        long peakBytes = 0;
        long peakBlocks = 0;
        source.restart();
        while (source.fill(batch)) {
            for (int i = 0; i < batch.length; i++) {
                long id = batch.ids[i];
                int slot = live.find(id);
                switch (batch.kinds[i]) {
                    case EventBatch.ALLOC -> {
                        if (slot >= 0) {
                            live.remove(slot);
                        }
                        live.put(id, 0, batch.sizes[i], 1);
                    }
                    case EventBatch.FREE -> {
                        if (slot >= 0) {
                            live.remove(slot);
                        }
                    }
                    default -> {
                        if (slot >= 0) {
                            live.update(slot, 0, batch.sizes[i]);
                        } else {
                            live.put(id, 0, batch.sizes[i], 1);
                        }
                    }
                }
                if (live.bytes() > peakBytes) {
                    peakBytes = live.bytes();
                    peakEvent = events;
                }
                peakBlocks = Math.max(peakBlocks, live.count());
                events++;
            }
        }
        return new TraceShape(events, peakEvent, peakBytes, peakBlocks);
    }
}
