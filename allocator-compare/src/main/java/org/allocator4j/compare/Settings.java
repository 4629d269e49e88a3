package org.allocator4j.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of {@code compare}, with its default, in one place (as Caffeine's simulator keeps its
 * settings in one {@code reference.conf}). {@link CompareCommand} reads them from the command line
 * ({@link #parse(String...)}); {@link #builder(String)} builds them in code.
 *
 * @param trace         an mtrace file, a binary trace ({@code .a4jt}), either optionally {@code .gz}, or
 *                      {@code synthetic:NAME}
 * @param strategies    the strategies to replay on, in order; empty for every one available
 * @param json          where to write the results as JSON, or null
 * @param chart         where to write the chart (self-contained HTML with inline SVG), or null for none
 * @param convert       where to write the trace as a binary trace (then exit), or null
 * @param samples       footprint samples per strategy (chart points), in {@code [2, 1000000]}; default
 *                      {@value #DEFAULT_SAMPLES}
 * @param seed          seed of a synthetic workload; default {@value #DEFAULT_SEED}
 * @param scale         length multiplier of a synthetic workload, in {@code [1, 10000]}; default 1
 * @param verify        whether a separate verification pass replays the trace again with every block filled
 *                      with a per-block pattern and checked before it is freed or reallocated; default true
 * @param warmupEvents  how many events of the trace's prefix warm each strategy up before it is measured, 0
 *                      for no warm-up; default {@value #WARMUP_EVENTS}
 * @param fork          whether each strategy replays in a fresh worker JVM of its own (so that none inherits
 *                      another's heap, the JVM's malloc arenas are as small as they get, and a crash ends only
 *                      that strategy's replay); default true
 * @param runs          timed replays per strategy, in {@code [1, 1000]}; default {@value #DEFAULT_RUNS}
 * @param workerOptions JVM options for every worker (e.g. {@code -Xmx512m}), in order; default none
 * @param timeout       the longest a worker may take before it is killed, positive; default
 *                      {@link #DEFAULT_TIMEOUT}
 */
public record Settings(String trace, List<String> strategies, Path json, Path chart, Path convert, int samples,
                       long seed, int scale, boolean verify, long warmupEvents, boolean fork, int runs,
                       List<String> workerOptions, Duration timeout) {

    /** Default of {@link #samples()}. */
    public static final int DEFAULT_SAMPLES = 400;
    /** Default of {@link #seed()}. */
    public static final long DEFAULT_SEED = 42;
    /** Default of {@link #chart()}, relative to the working directory. */
    public static final Path DEFAULT_CHART = Path.of("compare-report.html");
    /** Default of {@link #warmupEvents()}: the most events of the trace's prefix a warm-up replays. */
    public static final int WARMUP_EVENTS = 200_000;
    /** Default of {@link #runs()}. */
    public static final int DEFAULT_RUNS = 5;
    /** Default of {@link #timeout()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** Range of {@link #samples()}. */
    static final int MIN_SAMPLES = 2;
    static final int MAX_SAMPLES = 1_000_000;
    /** Range of {@link #scale()}. */
    static final int MAX_SCALE = 10_000;
    /** Range of {@link #runs()}. */
    static final int MAX_RUNS = 1_000;

    /** Checks the values. @throws IllegalArgumentException naming the bad value and its range */
    public Settings {
        Objects.requireNonNull(trace, "trace");
        strategies = List.copyOf(strategies);
        workerOptions = List.copyOf(workerOptions);
        Objects.requireNonNull(timeout, "timeout");
        check("samples", samples, MIN_SAMPLES, MAX_SAMPLES);
        check("scale", scale, 1, MAX_SCALE);
        check("runs", runs, 1, MAX_RUNS);
        check("warmupEvents", warmupEvents, 0, Long.MAX_VALUE);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout=" + timeout + " is not positive; expected a duration > 0");
        }
    }

    /** {@return the defaults for {@code trace}} */
    public static Settings of(String trace) {
        return builder(trace).build();
    }

    /** {@return a builder of settings for {@code trace}, starting from the defaults} */
    public static Builder builder(String trace) {
        return new Builder(trace);
    }

    /** {@return a builder starting from these settings} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * {@return the settings of a command line}: {@code <trace> [options]}, see {@link CompareCommand}
     *
     * @throws IllegalArgumentException if an option is unknown, lacks its value or has a bad one, or the
     *                                  trace is missing; the message names it
     */
    public static Settings parse(String... args) {
        return CompareCommand.parse(args);
    }

    /** {@return whether each strategy is warmed up on the trace's prefix: {@code warmupEvents() > 0}} */
    public boolean warmup() {
        return warmupEvents > 0;
    }

    /** {@return these settings with {@code json} and {@code chart} as output files} */
    public Settings withOutputs(Path json, Path chart) {
        return toBuilder().json(json).chart(chart).build();
    }

    /** {@return these settings replaying only on {@code names}} */
    public Settings withStrategies(List<String> names) {
        return toBuilder().strategies(names).build();
    }

    /** {@return these settings replaying in this JVM ({@code false}) or in one JVM per strategy} */
    public Settings withFork(boolean forkEach) {
        return toBuilder().fork(forkEach).build();
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
    }

    /** Builds {@link Settings}, one setting at a time; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private String trace;
        private List<String> strategies = List.of();
        private Path json;
        private Path chart = DEFAULT_CHART;
        private Path convert;
        private int samples = DEFAULT_SAMPLES;
        private long seed = DEFAULT_SEED;
        private int scale = 1;
        private boolean verify = true;
        private long warmupEvents = WARMUP_EVENTS;
        private boolean fork = true;
        private int runs = DEFAULT_RUNS;
        private List<String> workerOptions = List.of();
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(String trace) {
            this.trace = Objects.requireNonNull(trace, "trace");
        }

        private Builder(Settings s) {
            this(s.trace);
            strategies = s.strategies;
            json = s.json;
            chart = s.chart;
            convert = s.convert;
            samples = s.samples;
            seed = s.seed;
            scale = s.scale;
            verify = s.verify;
            warmupEvents = s.warmupEvents;
            fork = s.fork;
            runs = s.runs;
            workerOptions = s.workerOptions;
            timeout = s.timeout;
        }

        /** Sets {@link Settings#trace()}. @return this */
        public Builder trace(String value) {
            trace = Objects.requireNonNull(value, "trace");
            return this;
        }

        /** Sets {@link Settings#strategies()}. @return this */
        public Builder strategies(List<String> value) {
            strategies = value;
            return this;
        }

        /** Sets {@link Settings#json()}. @return this */
        public Builder json(Path value) {
            json = value;
            return this;
        }

        /** Sets {@link Settings#chart()}. @return this */
        public Builder chart(Path value) {
            chart = value;
            return this;
        }

        /** Sets {@link Settings#convert()}. @return this */
        public Builder convert(Path value) {
            convert = value;
            return this;
        }

        /** Sets {@link Settings#samples()}. @return this */
        public Builder samples(int value) {
            samples = value;
            return this;
        }

        /** Sets {@link Settings#seed()}. @return this */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Sets {@link Settings#scale()}. @return this */
        public Builder scale(int value) {
            scale = value;
            return this;
        }

        /** Sets {@link Settings#verify()}. @return this */
        public Builder verify(boolean value) {
            verify = value;
            return this;
        }

        /** Sets {@link Settings#warmupEvents()}. @return this */
        public Builder warmupEvents(long value) {
            warmupEvents = value;
            return this;
        }

        /** Sets {@link Settings#fork()}. @return this */
        public Builder fork(boolean value) {
            fork = value;
            return this;
        }

        /** Sets {@link Settings#runs()}. @return this */
        public Builder runs(int value) {
            runs = value;
            return this;
        }

        /** Sets {@link Settings#workerOptions()}. @return this */
        public Builder workerOptions(List<String> value) {
            workerOptions = value;
            return this;
        }

        /** Sets {@link Settings#timeout()}. @return this */
        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        /**
         * {@return the settings}
         *
         * @throws IllegalArgumentException if a value is out of its range; the message names it
         */
        public Settings build() {
            return new Settings(trace, strategies, json, chart, convert, samples, seed, scale, verify, warmupEvents,
                    fork, runs, workerOptions, timeout);
        }
    }
}
