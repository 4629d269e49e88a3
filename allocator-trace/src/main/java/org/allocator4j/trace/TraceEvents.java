package org.allocator4j.trace;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * A cursor over the events of an allocation trace, read as a stream: {@link #next()} moves to the next
 * event, and {@link #kind()}, {@link #id()}, {@link #size()}, {@link #alignment()} and {@link #newSize()} give
 * it. No object is made per event and no more of the trace is held than the reader needs (a binary trace:
 * nothing; an mtrace file: the live addresses), so a trace of any length reads in constant memory.
 *
 * <pre>{@code
 * try (TraceEvents trace = Traces.open(Path.of("run.a4jt.gz"))) {
 *     while (trace.next()) {
 *         switch (trace.kind()) {
 *             case TraceEvents.ALLOC -> System.out.println("alloc " + trace.id() + " " + trace.size() + " " + trace.alignment());
 *             case TraceEvents.FREE -> System.out.println("free " + trace.id());
 *             default -> System.out.println("realloc " + trace.id() + " " + trace.newSize());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Events: {@code alloc id size align} allocates block {@code id} with {@code Layout.of(size, align)};
 * {@code free id} frees it; {@code realloc id newSize} resizes it, keeping its alignment. Ids are
 * non-negative {@code long}s; an id may be reused after its block is freed. A reader checks its input as it
 * goes and throws {@link TraceFormatException}, naming the line or byte offset, where it is malformed.
 *
 * @implNote Implementations are not thread-safe.
 */
public interface TraceEvents extends Closeable {
    /** {@link #kind()} of an allocation; the opcode of its binary record. */
    int ALLOC = TraceFormat.OP_ALLOC;
    /** {@link #kind()} of a free; the opcode of its binary record. */
    int FREE = TraceFormat.OP_FREE;
    /** {@link #kind()} of a reallocation; the opcode of its binary record. */
    int REALLOC = TraceFormat.OP_REALLOC;

    /**
     * Moves to the next event.
     *
     * @return true if there is one; false at the end of the trace (checked complete), and for every call after
     * @throws TraceFormatException if the input is malformed or truncated there
     * @throws IOException          if reading fails
     */
    boolean next() throws IOException;

    /** {@return the kind of the current event: {@link #ALLOC}, {@link #FREE} or {@link #REALLOC}} */
    int kind();

    /** {@return the block id of the current event} */
    long id();

    /** {@return the size of an alloc, the new size of a realloc, 0 for a free} */
    long size();

    /** {@return the alignment of an alloc, 1 for the other events} */
    long alignment();

    /** {@return the new size of a realloc (its {@link #size()}), 0 for the other events} */
    default long newSize() {
        return kind() == REALLOC ? size() : 0;
    }

    /** {@return the number of events read so far, the current one included} */
    long count();

    /** {@return the trace's name, as messages give it} */
    String source();

    /**
     * {@return what the reader noticed while turning its input into events, as counts by description}, e.g.
     * an mtrace file's failed {@code malloc} calls, which are not events; empty for a binary trace
     */
    default Map<String, Long> notes() {
        return Map.of();
    }

    /** {@return the current event as text, e.g. {@code "alloc 7 64 16"}; {@code "none"} before the first} */
    default String describe() {
        return count() == 0 ? "none" : describe(kind(), id(), size(), alignment());
    }

    /**
     * {@return an event as text: {@code "alloc ID SIZE ALIGN"}, {@code "free ID"} or {@code "realloc ID NEWSIZE"}}
     *
     * @param kind      {@link #ALLOC}, {@link #FREE} or {@link #REALLOC}
     * @param id        the block id
     * @param size      the size of an alloc, the new size of a realloc
     * @param alignment the alignment of an alloc
     */
    static String describe(int kind, long id, long size, long alignment) {
        return switch (kind) {
            case ALLOC -> "alloc " + id + " " + size + " " + alignment;
            case FREE -> "free " + id;
            default -> "realloc " + id + " " + size;
        };
    }
}
