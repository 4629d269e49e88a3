package org.allocator4j.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of {@code compare}, with its default, in one place (as Caffeine's simulator keeps its
 * settings in one {@code reference.conf}). Parsed from the command line by {@link #parse(String...)};
 * {@link #USAGE} documents each option.
 *
 * @param trace      an mtrace file, a binary trace ({@code .a4jt}), either optionally {@code .gz}, or
 *                   {@code synthetic:NAME}
 * @param strategies the strategies to replay on, in order; empty for every one available
 * @param json       where to write the results as JSON, or null
 * @param chart      where to write the chart (self-contained HTML with inline SVG), or null for none
 * @param convert    where to write the trace as a binary trace (then exit), or null
 * @param samples    footprint samples per strategy (chart points); default {@value #DEFAULT_SAMPLES}
 * @param seed       seed of a synthetic workload; default {@value #DEFAULT_SEED}
 * @param scale      length multiplier of a synthetic workload; default 1
 * @param verify     whether each block is filled with a per-block pattern and checked before it is freed
 *                   or reallocated; default true
 * @param warmup     whether the replay code is warmed up (on the Java heap, results discarded) before
 *                   the measured runs; default true
 * @param fork       whether each strategy replays in a fresh JVM of its own (so that none inherits another's
 *                   heap, the JVM's malloc arenas are as small as they get, and a crash ends only that
 *                   strategy's replay); default true
 */
public record Settings(String trace, List<String> strategies, Path json, Path chart, Path convert, int samples,
                       long seed, int scale, boolean verify, boolean warmup, boolean fork) {

    /** Default of {@link #samples()}. */
    public static final int DEFAULT_SAMPLES = 400;
    /** Default of {@link #seed()}. */
    public static final long DEFAULT_SEED = 42;
    /** Default of {@link #chart()}, relative to the working directory. */
    public static final Path DEFAULT_CHART = Path.of("compare-report.html");
    /** The most events of the trace the warm-up replays. */
    public static final int WARMUP_EVENTS = 200_000;

    /** The command line's help text. */
    public static final String USAGE = """
            usage: compare <trace> [options]
              <trace>                 a glibc mtrace file, an allocator4j binary trace (.a4jt), either
                                      optionally gzip-compressed (.gz), or synthetic:NAME with NAME one of
                                      glibc-simple, larson, fragmentation
              -s, --strategies A,B    replay only on these strategies, in this order (default: all available:
                                      system, jemalloc and mimalloc if their libraries load, every provider)
              -o, --json FILE         also write the results as JSON
              -c, --chart FILE|none   chart of footprint and live bytes over time, as self-contained HTML
                                      (default: compare-report.html)
                  --convert FILE      write the trace as a binary trace (.a4jt or .a4jt.gz) and exit
                  --samples N         footprint samples per strategy (default: 400)
                  --seed N            seed of a synthetic workload (default: 42)
                  --scale N           length multiplier of a synthetic workload (default: 1)
                  --no-verify         do not fill blocks with a pattern nor check it (faster, no integrity check)
                  --no-warmup         do not warm the replay code up before measuring
                  --in-process        replay every strategy in this JVM, one after the other (default: a
                                      fresh JVM per strategy)
              -h, --help              this text
            """;

    /** Checks the values. @throws IllegalArgumentException naming the bad value */
    public Settings {
        Objects.requireNonNull(trace, "trace");
        strategies = List.copyOf(strategies);
        if (samples < 2) {
            throw new IllegalArgumentException("samples=" + samples + " is below 2");
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale=" + scale + " is below 1");
        }
    }

    /** {@return the defaults for {@code trace}} */
    public static Settings of(String trace) {
        return new Settings(trace, List.of(), null, DEFAULT_CHART, null, DEFAULT_SAMPLES, DEFAULT_SEED, 1, true, true, true);
    }

    /** {@return these settings with {@code json} and {@code chart} as output files} */
    public Settings withOutputs(Path json, Path chart) {
        return new Settings(trace, strategies, json, chart, convert, samples, seed, scale, verify, warmup, fork);
    }

    /** {@return these settings replaying only on {@code names}} */
    public Settings withStrategies(List<String> names) {
        return new Settings(trace, names, json, chart, convert, samples, seed, scale, verify, warmup, fork);
    }

    /** {@return these settings replaying in this JVM ({@code false}) or in one JVM per strategy} */
    public Settings withFork(boolean forkEach) {
        return new Settings(trace, strategies, json, chart, convert, samples, seed, scale, verify, warmup, forkEach);
    }

    /**
     * {@return the settings of a command line}: {@code <trace> [options]}, see {@link #USAGE}
     *
     * @throws IllegalArgumentException if an option is unknown, lacks its value or has a bad one, or the
     *                                  trace is missing; the message names it
     */
    public static Settings parse(String... args) {
        String trace = null;
        List<String> strategies = List.of();
        Path json = null;
        Path chart = DEFAULT_CHART;
        Path convert = null;
        int samples = DEFAULT_SAMPLES;
        long seed = DEFAULT_SEED;
        int scale = 1;
        boolean verify = true;
        boolean warmup = true;
        boolean fork = true;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            switch (arg) {
                case "-s", "--strategies" -> strategies = Arrays.stream(value(arg, rest).split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList();
                case "-o", "--json" -> json = Path.of(value(arg, rest));
                case "-c", "--chart" -> {
                    String v = value(arg, rest);
                    chart = v.equals("none") ? null : Path.of(v);
                }
                case "--convert" -> convert = Path.of(value(arg, rest));
                case "--samples" -> samples = (int) number(arg, value(arg, rest), 2, 1_000_000);
                case "--seed" -> seed = number(arg, value(arg, rest), Long.MIN_VALUE, Long.MAX_VALUE);
                case "--scale" -> scale = (int) number(arg, value(arg, rest), 1, 10_000);
                case "--no-verify" -> verify = false;
                case "--no-warmup" -> warmup = false;
                case "--in-process" -> fork = false;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("option=" + arg + " is unknown; see --help");
                    }
                    if (trace != null) {
                        throw new IllegalArgumentException("trace=" + arg + " is a second trace (the first is "
                                + trace + "); expected one trace");
                    }
                    trace = arg;
                }
            }
        }
        if (trace == null) {
            throw new IllegalArgumentException("no trace given; expected a file or synthetic:NAME");
        }
        return new Settings(trace, strategies, json, chart, convert, samples, seed, scale, verify, warmup, fork);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("option=" + option + " needs a value");
        }
        return rest.removeFirst();
    }

    private static long number(String option, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + "=" + text + " is not an integer", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }
}
