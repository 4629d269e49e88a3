package org.allocator4j.compare.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.allocator4j.trace.TraceEvents;
import org.allocator4j.trace.Traces;

/**
 * The events of a trace file, streamed: each pass opens the file again and reads it a batch at a time, so a
 * worker holds one batch of the trace, never the whole of it.
 */
final class TraceFileSource implements EventSource {
    private final Path file;
    private TraceEvents events;
    private boolean ended;

    TraceFileSource(Path file) {
        this.file = file;
    }

    @Override
    public boolean fill(EventBatch batch) {
        batch.clear();
        if (events == null) {
            restart();
        }
        try {
            while (!ended && !batch.full()) {
                if (!events.next()) {
                    ended = true;
                    break;
                }
                switch (events.kind()) {
                    case TraceEvents.ALLOC -> batch.alloc(events.id(), events.size(),
                            Long.numberOfTrailingZeros(events.alignment()));
                    case TraceEvents.FREE -> batch.free(events.id());
                    default -> batch.realloc(events.id(), events.size());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace=" + file, e);
        }
        return batch.length > 0;
    }

    @Override
    public void restart() {
        close();
        try {
            events = Traces.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open trace=" + file, e);
        }
        ended = false;
    }

    @Override
    public void close() {
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close trace=" + file, e);
            }
            events = null;
        }
    }
}
