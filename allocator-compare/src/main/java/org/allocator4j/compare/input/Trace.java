package org.allocator4j.compare.input;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.allocator4j.trace.TraceEvents;

/**
 * An allocation trace held in memory: a sequence of events, each one of
 * <ul>
 *   <li>{@code alloc id size align}: block {@code id} is allocated with {@code Layout.of(size, align)};</li>
 *   <li>{@code free id}: block {@code id} is freed;</li>
 *   <li>{@code realloc id newSize}: block {@code id} is resized to {@code newSize}, keeping its alignment
 *       (a block that is not live is allocated, and counted as an anomaly by the replay).</li>
 * </ul>
 *
 * <p>Readers parse a whole trace before any replay, so parse errors come first, replay timings do not
 * include parsing, and every strategy replays exactly the same events. Events are packed in parallel
 * arrays (17 bytes each): about 170 MB for ten million events.
 *
 * <p>Ids are non-negative {@code long}s chosen by the trace; an id may be reused after its block is freed.
 * Instances are immutable once {@linkplain Builder#build() built} and safe to share between threads.
 */
public final class Trace {
    /** Event kind of {@link #kind(int)}: an allocation. */
    public static final int ALLOC = TraceEvents.ALLOC;
    /** Event kind of {@link #kind(int)}: a free. */
    public static final int FREE = TraceEvents.FREE;
    /** Event kind of {@link #kind(int)}: a reallocation. */
    public static final int REALLOC = TraceEvents.REALLOC;

    /** The largest alignment a trace may ask for: {@code 2^ALIGN_LOG2_LIMIT}. */
    public static final int ALIGN_LOG2_LIMIT = 40;

    private final String name;
    private final int length;
    // kind in bits 0-1, log2(alignment) in bits 2-7 (alloc only)
    private final byte[] ops;
    private final long[] ids;
    private final long[] sizes;
    private final Map<String, Long> notes;

    private Trace(String name, int length, byte[] ops, long[] ids, long[] sizes, Map<String, Long> notes) {
        this.name = name;
        this.notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
        this.length = length;
        this.ops = ops;
        this.ids = ids;
        this.sizes = sizes;
    }

    /** {@return a new, empty builder for a trace called {@code name}} */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * {@return a trace of no events that carries only {@code name} and {@code notes}}: what the reports need of
     * a trace whose events stay in a file, streamed
     */
    public static Trace header(String name, Map<String, Long> notes) {
        return new Trace(name, 0, new byte[0], new long[0], new long[0], notes);
    }

    /** {@return a cursor over this trace's events, as a reader of a file gives them} */
    public TraceEvents events() {
        return new TraceEvents() {
            private int next;

            @Override
            public boolean next() {
                if (next == length) {
                    return false;
                }
                next++;
                return true;
            }

            @Override
            public int kind() {
                return Trace.this.kind(next - 1);
            }

            @Override
            public long id() {
                return Trace.this.id(next - 1);
            }

            @Override
            public long size() {
                return Trace.this.size(next - 1);
            }

            @Override
            public long alignment() {
                return Trace.this.alignment(next - 1);
            }

            @Override
            public long count() {
                return next;
            }

            @Override
            public String source() {
                return name;
            }

            @Override
            public Map<String, Long> notes() {
                return Trace.this.notes;
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@return where this trace came from: a file name or a workload name} */
    public String name() {
        return name;
    }

    /**
     * {@return what the reader noticed while turning its input into events, as counts by description}
     * E.g. an mtrace file's failed {@code malloc} calls, which are not events.
     */
    public Map<String, Long> notes() {
        return notes;
    }

    /** {@return the number of events} */
    public int length() {
        return length;
    }

    /** {@return the kind of event {@code i}: {@link #ALLOC}, {@link #FREE} or {@link #REALLOC}} */
    public int kind(int i) {
        return ops[i] & 3;
    }

    /** {@return the block id of event {@code i}} */
    public long id(int i) {
        return ids[i];
    }

    /** {@return the size of an alloc, the new size of a realloc, 0 for a free} */
    public long size(int i) {
        return sizes[i];
    }

    /** {@return the alignment of an alloc event, 1 for other events} */
    public long alignment(int i) {
        return 1L << ((ops[i] & 0xFF) >>> 2);
    }

    /** {@return event {@code i} as text, e.g. {@code "alloc 7 64 16"}} */
    public String describe(int i) {
        return switch (kind(i)) {
            case ALLOC -> "alloc " + id(i) + " " + size(i) + " " + alignment(i);
            case FREE -> "free " + id(i);
            default -> "realloc " + id(i) + " " + size(i);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trace t && length == t.length
                && Arrays.equals(ops, 0, length, t.ops, 0, length)
                && Arrays.equals(ids, 0, length, t.ids, 0, length)
                && Arrays.equals(sizes, 0, length, t.sizes, 0, length);
    }

    @Override
    public int hashCode() {
        int h = length;
        for (int i = 0; i < length; i++) {
            h = 31 * h + Long.hashCode(ids[i] * 31 + sizes[i]) + ops[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "Trace[name=" + name + ", events=" + length + "]";
    }

    /**
     * Appends events to a trace. Not thread-safe. Sizes and ids are checked here, once: readers need
     * not check them again.
     */
    public static final class Builder {
        private final String name;
        private int length;
        private byte[] ops = new byte[1024];
        private long[] ids = new long[1024];
        private long[] sizes = new long[1024];
        private final Map<String, Long> notes = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Appends {@code alloc id size align}.
         *
         * @throws IllegalArgumentException if {@code id < 0}, {@code size < 0}, or {@code align} is not a
         *                                  power of two in {@code [1, 2^40]}
         */
        public Builder alloc(long id, long size, long align) {
            checkId(id);
            checkSize(size, "size");
            if (align <= 0 || (align & (align - 1)) != 0 || align > 1L << ALIGN_LOG2_LIMIT) {
                throw new IllegalArgumentException("align=" + align + " of id=" + id
                        + " is not a power of two in [1, 2^" + ALIGN_LOG2_LIMIT + "]");
            }
            return add(ALLOC | Long.numberOfTrailingZeros(align) << 2, id, size);
        }

        /**
         * Appends {@code free id}.
         *
         * @throws IllegalArgumentException if {@code id < 0}
         */
        public Builder free(long id) {
            checkId(id);
            return add(FREE, id, 0);
        }

        /**
         * Appends {@code realloc id newSize}.
         *
         * @throws IllegalArgumentException if {@code id < 0} or {@code newSize < 0}
         */
        public Builder realloc(long id, long newSize) {
            checkId(id);
            checkSize(newSize, "newSize");
            return add(REALLOC, id, newSize);
        }

        /** Adds 1 to the count of {@code note}, something the reader noticed (see {@link Trace#notes()}). */
        public Builder note(String note) {
            return note(note, 1);
        }

        /** Adds {@code count} to the count of {@code note}, something the reader noticed. */
        public Builder note(String note, long count) {
            notes.merge(note, count, Long::sum);
            return this;
        }

        /** {@return the number of events appended so far} */
        public int length() {
            return length;
        }

        /** {@return the trace of the events appended so far} */
        public Trace build() {
            return new Trace(name, length, Arrays.copyOf(ops, length), Arrays.copyOf(ids, length),
                    Arrays.copyOf(sizes, length), notes);
        }

        private Builder add(int op, long id, long size) {
            if (length == ops.length) {
                if (length == Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("trace " + name + " has more than " + length
                            + " events; split it");
                }
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8, length * 2L);
                ops = Arrays.copyOf(ops, capacity);
                ids = Arrays.copyOf(ids, capacity);
                sizes = Arrays.copyOf(sizes, capacity);
            }
            ops[length] = (byte) op;
            ids[length] = id;
            sizes[length] = size;
            length++;
            return this;
        }

        private static void checkId(long id) {
            if (id < 0) {
                throw new IllegalArgumentException("id=" + id + " is negative; expected id >= 0");
            }
        }

        private static void checkSize(long size, String what) {
            if (size < 0) {
                throw new IllegalArgumentException(what + "=" + size + " is negative; expected " + what + " >= 0");
            }
        }
    }
}
