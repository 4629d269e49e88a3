package org.allocator4j.tracking;

import java.io.OutputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.allocator4j.api.GlobalAllocator;

/**
 * Static factories of {@link TrackingAllocator}s, and the system properties that set their defaults.
 *
 * <pre>{@code
 * TrackingAllocator tracking = Tracking.wrap(GlobalAllocator.system());
 * Snapshot work = tracking.measure(() -> parse(tracking, input));
 *
 * TrackingAllocator checked = Tracking.builder(GlobalAllocator.named("slab"))
 *         .checked(true).budget(64 << 20).listener(AllocationListener.logging()).build();
 * }</pre>
 *
 * <p>Every builder default can be set by a system property, so a deployment can turn checked mode or a
 * budget on without a code change; a value set on the builder wins over the property.
 */
public final class Tracking {
    /** The name of the {@code tracking} provider and the default name of every tracking allocator. */
    public static final String NAME = "tracking";
    /** The provider wraps the provider of this name ({@code system} if unset), e.g. {@code slab}. */
    public static final String INNER_PROPERTY = "allocator4j.tracking.inner";
    /** 1 in how many allocations per thread has its site recorded; 0 turns sampling off. */
    public static final String SAMPLE_EVERY_PROPERTY = "allocator4j.tracking.sampleEvery";
    /** {@code true} turns checked mode on. */
    public static final String CHECKED_PROPERTY = "allocator4j.tracking.checked";
    /** A byte budget for the allocator (unlimited if unset). */
    public static final String BUDGET_PROPERTY = "allocator4j.tracking.budget";
    /** {@code true} prints the leak report at JVM shutdown when blocks are live. */
    public static final String SHUTDOWN_REPORT_PROPERTY = "allocator4j.tracking.shutdownReport";
    /** {@code false} keeps the MBean from being registered. */
    public static final String JMX_PROPERTY = "allocator4j.tracking.jmx";
    /** Bytes a thread allocates or frees before publishing them for the peak; 0 makes the peak exact. */
    public static final String PEAK_QUANTUM_PROPERTY = "allocator4j.tracking.peakQuantum";
    /**
     * A file the {@code tracking} provider's allocator records a trace of every allocation to
     * ({@link Tracking.Builder#recordTo(Path)}; gzip-compressed if the name ends with {@code .gz}); unset or
     * empty records nothing. It records any program chosen by class path:
     * {@code -Dallocator4j.global=tracking -Dallocator4j.tracking.record=run.a4jt.gz}. Like
     * {@link #INNER_PROPERTY}, only the provider reads it: allocators built in code record only when told to,
     * since two recorders cannot share one file.
     */
    public static final String RECORD_PROPERTY = "allocator4j.tracking.record";

    /** The default of {@link #SAMPLE_EVERY_PROPERTY}. */
    public static final int DEFAULT_SAMPLE_EVERY = 4096;
    /** The default of {@link #PEAK_QUANTUM_PROPERTY}: 64 KiB. */
    public static final long DEFAULT_PEAK_QUANTUM = 64 * 1024;

    private Tracking() {
    }

    /**
     * {@return a tracking allocator over {@code inner} with the defaults (and system properties)}
     *
     * @param inner the allocator to track
     */
    public static TrackingAllocator wrap(GlobalAllocator inner) {
        return builder(inner).build();
    }

    /**
     * {@return a builder of a tracking allocator over {@code inner}}
     *
     * @param inner the allocator to track
     */
    public static Builder builder(GlobalAllocator inner) {
        return new Builder(Objects.requireNonNull(inner, "inner"));
    }

    /**
     * Options of a tracking allocator. Not thread-safe; each {@link #build()} makes a new allocator.
     */
    public static final class Builder {
        final GlobalAllocator inner;
        String name = NAME;
        int sampleEvery = (int) property(SAMPLE_EVERY_PROPERTY, DEFAULT_SAMPLE_EVERY, Integer.MAX_VALUE);
        boolean checked = Boolean.getBoolean(CHECKED_PROPERTY);
        long budget = property(BUDGET_PROPERTY, Long.MAX_VALUE, Long.MAX_VALUE);
        long peakQuantum = property(PEAK_QUANTUM_PROPERTY, DEFAULT_PEAK_QUANTUM, Long.MAX_VALUE);
        long quarantineBytes = 1 << 20;
        int quarantineBlocks = 1024;
        boolean jmx = !"false".equalsIgnoreCase(System.getProperty(JMX_PROPERTY));
        boolean shutdownReport = Boolean.getBoolean(SHUTDOWN_REPORT_PROPERTY);
        Path recordTo;
        OutputStream recordStream; // tests only: a trace to a stream, instead of recordTo
        final List<AllocationListener> listeners = new ArrayList<>();

        private Builder(GlobalAllocator inner) {
            this.inner = inner;
        }

        /**
         * Names the allocator in exceptions, reports, JFR events and its MBean (default {@value Tracking#NAME}).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Records the site of 1 in {@code n} allocations per thread (default {@value Tracking#DEFAULT_SAMPLE_EVERY},
         * or {@value Tracking#SAMPLE_EVERY_PROPERTY}); 1 records all, 0 none. A site costs a stack walk (about a
         * microsecond) when recorded; a free costs one table load either way.
         *
         * @param n the sampling period
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Builder sampleEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("sampleEvery=" + n + "; expected >= 0 (0 = off, 1 = all)");
            }
            this.sampleEvery = n;
            return this;
        }

        /**
         * Turns checked mode on or off (default off, or {@value Tracking#CHECKED_PROPERTY}): every block gets red
         * zones and its site, and double frees, foreign blocks, layout mismatches, overruns and writes after
         * free throw {@link org.allocator4j.api.AllocatorMisuseException} instead of reaching the inner
         * allocator. Costs a stack walk per allocation and free, and a global lock.
         *
         * @param on whether checked mode is on
         * @return this builder
         */
        public Builder checked(boolean on) {
            this.checked = on;
            return this;
        }

        /**
         * Sets checked mode's quarantine: freed blocks are held back from the inner allocator, poisoned,
         * until more than {@code bytes} bytes or {@code blocks} blocks are held (default 1 MiB, 1024). The
         * newest freed block is always held, even alone above {@code bytes}, until the next free; 0 for either
         * turns the quarantine off (freed blocks go back at once, and a write after free is not caught).
         *
         * @param bytes  the most bytes held
         * @param blocks the most blocks held
         * @return this builder
         * @throws IllegalArgumentException if either is negative
         */
        public Builder quarantine(long bytes, int blocks) {
            if (bytes < 0 || blocks < 0) {
                throw new IllegalArgumentException("quarantine bytes=" + bytes + ", blocks=" + blocks
                        + "; expected both >= 0");
            }
            this.quarantineBytes = bytes;
            this.quarantineBlocks = blocks;
            return this;
        }

        /**
         * Caps the bytes live at once (default unlimited, or {@value Tracking#BUDGET_PROPERTY}); a request over it
         * throws {@link BudgetExceededException}.
         *
         * @param limit the limit in bytes
         * @return this builder
         * @throws IllegalArgumentException if {@code limit < 0}
         */
        public Builder budget(long limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("budget=" + limit + "; expected >= 0");
            }
            this.budget = limit;
            return this;
        }

        /**
         * Sets how many bytes a thread allocates or frees before it publishes them to the shared peak
         * counter (default 64 KiB, or {@value Tracking#PEAK_QUANTUM_PROPERTY}). The peak is exact while one thread
         * allocates and off by at most {@code (threads - 1) * quantum} otherwise; 0 makes it exact for any
         * number of threads at the cost of a shared atomic add per operation.
         *
         * @param quantum the quantum in bytes
         * @return this builder
         * @throws IllegalArgumentException if {@code quantum < 0}
         */
        public Builder peakQuantum(long quantum) {
            if (quantum < 0) {
                throw new IllegalArgumentException("peakQuantum=" + quantum + "; expected >= 0");
            }
            this.peakQuantum = quantum;
            return this;
        }

        /**
         * Adds a listener, told of every operation in the order added.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(AllocationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Registers (default, unless {@value Tracking#JMX_PROPERTY} is {@code false}) or not an MBean
         * {@code org.allocator4j:type=TrackingAllocator,name=<name>,id=<n>} with the platform MBean server.
         *
         * @param on whether to register it
         * @return this builder
         * @see TrackingMXBean
         */
        public Builder jmx(boolean on) {
            this.jmx = on;
            return this;
        }

        /**
         * Prints the leak report to {@code System.err} at JVM shutdown if blocks are live then (default off,
         * or {@value Tracking#SHUTDOWN_REPORT_PROPERTY}).
         *
         * @param on whether to print it
         * @return this builder
         */
        public Builder shutdownReport(boolean on) {
            this.shutdownReport = on;
            return this;
        }

        /**
         * Records a trace of every allocation, free and reallocation to {@code file} (default none; the
         * provider's allocator: {@value Tracking#RECORD_PROPERTY}), in the compact binary format of
         * {@link org.allocator4j.trace.TraceFormat}, gzip-compressed if the name ends with {@code .gz}; an existing
         * file is replaced. {@code compare} ({@code allocator-compare}) replays it on every strategy, and
         * {@link org.allocator4j.trace.TraceReader} reads it back.
         *
         * <p>Blocks get ids in allocation order. Zero-size requests are not recorded (nothing is allocated);
         * reallocating a zero-size block is recorded as an allocation, reallocating to 0 as a free; a block
         * the recorder never saw allocated gets a fresh id when freed. Failed operations and checked mode's
         * misuse are not recorded. {@link TrackingAllocator#close()} ends the trace (its end record), or a
         * shutdown hook does at JVM exit. An I/O error while recording stops the recording with one WARNING
         * logged (the file then reads as truncated) and never fails an allocation.
         *
         * @implNote Each operation runs the inner call and its record under one lock, so that the trace's
         * order is one the inner allocator really saw even when threads reuse each other's freed addresses.
         * That lock serializes every thread's operations, and recording puts the allocator on its slow
         * path: a diagnostic mode, not one to measure.
         *
         * <p>One file, one recorder: {@link #build()} fails while another allocator of this JVM still records
         * to the same file.
         *
         * @param file the trace file, created when {@link #build()} runs
         * @return this builder
         */
        public Builder recordTo(Path file) {
            this.recordTo = Objects.requireNonNull(file, "file");
            this.recordStream = null;
            return this;
        }

        /** Records to {@code out} instead of a file (which the allocator's close closes): for tests. */
        Builder recordTo(OutputStream out) {
            this.recordStream = Objects.requireNonNull(out, "out");
            this.recordTo = null;
            return this;
        }

        /**
         * {@return a new tracking allocator with these options}
         *
         * @throws java.io.UncheckedIOException if a trace file to {@linkplain #recordTo(Path) record to}
         *                                      cannot be created
         * @throws IllegalStateException        if another allocator still records to that file
         */
        public TrackingAllocator build() {
            return new TrackingGlobalAllocator(this);
        }

        /** {@return the file {@code key} names, or null if it is unset or empty} */
        static Path pathProperty(String key) {
            String value = System.getProperty(key);
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return Path.of(value.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("-D" + key + "=" + value + " is not a file path: " + e.getMessage(), e);
            }
        }

        private static long property(String key, long defaultValue, long max) {
            String value = System.getProperty(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.strip().replace("_", ""));
                if (parsed >= 0 && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("-D" + key + "=" + value + " is not a number in [0, " + max + "]");
        }
    }
}
