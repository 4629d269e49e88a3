package org.allocator4j.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The command line of {@code compare}, read with picocli into {@link Settings}: every option, its default
 * and its help text. {@code compare --help} prints the usage, the trace formats and the exit statuses.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = CompareCommand.Version.class,
        description = {
            "Replays an allocation trace on every strategy (system, jemalloc and mimalloc where installed, "
                    + "and every provider on the class path), each in a fresh worker JVM, and reports time, "
                    + "latency, footprint against live bytes, and failures, as a table, JSON and a chart.",
            ""
        },
        footerHeading = "%nExit status:%n")
public final class CompareCommand {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    @Parameters(index = "0", arity = "0..1", paramLabel = "TRACE",
            description = "a glibc mtrace file (.mtrace), an allocator4j binary trace (.a4jt), either optionally "
                    + "gzip-compressed (.gz), or synthetic:NAME with NAME one of glibc-simple, larson, fragmentation")
    private String trace;

    @Option(names = {"-s", "--strategies"}, split = ",", paramLabel = "A,B",
            description = "replay only on these strategies, in this order (default: every one available)")
    private List<String> strategies = new ArrayList<>();

    @Option(names = {"-o", "--json"}, paramLabel = "FILE", description = "also write the results as JSON")
    private Path json;

    @Option(names = {"-c", "--chart"}, paramLabel = "FILE|none",
            description = "the charts (footprint, live bytes, time and latency) as self-contained HTML "
                    + "(default: ${DEFAULT-VALUE})")
    private String chart = Settings.DEFAULT_CHART.toString();

    @Option(names = "--convert", paramLabel = "FILE",
            description = "write the trace as a binary trace (.a4jt or .a4jt.gz) and exit")
    private Path convert;

    @Option(names = "--runs", paramLabel = "N",
            description = "timed replays per strategy; the report gives their median and spread (default: ${DEFAULT-VALUE})")
    private int runs = Settings.DEFAULT_RUNS;

    @Option(names = "--samples", paramLabel = "N",
            description = "footprint samples per strategy, at the same events for every one (default: ${DEFAULT-VALUE})")
    private int samples = Settings.DEFAULT_SAMPLES;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "a separate verification pass: every block filled with a pattern and checked before it "
                    + "is freed (default: on; --no-verify skips it)")
    private boolean verify = true;

    @Option(names = "--warmup-events", paramLabel = "N",
            description = "events of the trace's prefix that warm each strategy up before it is measured; 0 for "
                    + "none (default: ${DEFAULT-VALUE})")
    private long warmupEvents = Settings.WARMUP_EVENTS;

    @Option(names = "--no-warmup", description = "no warm-up: the same as --warmup-events 0")
    private boolean noWarmup;

    @Option(names = {"-J", "--worker-option"}, paramLabel = "OPT",
            description = "a JVM option for every worker, e.g. -J-Xmx512m (repeatable)")
    private List<String> workerOptions = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "the longest a worker may take (e.g. 90s, 10m, 1h, PT2M): then it is killed, its row "
                    + "marked timed out, and the other strategies go on (default: 30m)")
    private Duration timeout = Settings.DEFAULT_TIMEOUT;

    @Option(names = "--seed", paramLabel = "N", description = "seed of a synthetic workload (default: ${DEFAULT-VALUE})")
    private long seed = Settings.DEFAULT_SEED;

    @Option(names = "--scale", paramLabel = "N",
            description = "length multiplier of a synthetic workload (default: ${DEFAULT-VALUE})")
    private int scale = 1;

    @Option(names = "--in-process",
            description = "replay every strategy in this JVM, one after the other (default: a fresh worker JVM each)")
    private boolean inProcess;

    /** Creates a command with every option at its default; picocli sets the options given. */
    public CompareCommand() {
    }

    /** {@return a picocli command line of a new command, its help footer listing the exit statuses} */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new CompareCommand());
        line.getCommandSpec().usageMessage().footer(ExitStatus.table());
        return line;
    }

    /**
     * {@return the settings of a command line}
     *
     * @throws IllegalArgumentException if an option is unknown, lacks its value or has a bad one, or the
     *                                  trace is missing; the message names it
     */
    public static Settings parse(String... args) {
        CommandLine line = commandLine();
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return ((CompareCommand) line.getCommand()).settings();
    }

    /**
     * {@return the settings these options give}
     *
     * @throws IllegalArgumentException if the trace is missing or a value is out of its range
     */
    public Settings settings() {
        if (trace == null) {
            throw new IllegalArgumentException("no trace given; expected a file or synthetic:NAME (see --help)");
        }
        return Settings.builder(trace)
                .strategies(strategies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList())
                .json(json)
                .chart(chart.equals("none") ? null : Path.of(chart))
                .convert(convert)
                .runs(runs)
                .samples(samples)
                .verify(verify)
                .warmupEvents(noWarmup ? 0 : warmupEvents)
                .workerOptions(workerOptions)
                .timeout(timeout)
                .seed(seed)
                .scale(scale)
                .fork(!inProcess)
                .build();
    }

    /**
     * {@return {@code text} as a duration}: a whole number with an optional unit {@code ms}, {@code s}
     * (the default), {@code m} or {@code h}, or ISO-8601 such as {@code PT1M30S}
     *
     * @throws IllegalArgumentException if it is neither; the message names it
     */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration=" + text + " is too large", e);
            }
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("duration=" + text + " is not a duration; expected e.g. 90s, 10m, "
                    + "1h, 500ms or PT2M", e);
        }
    }

    /** Reads {@code --timeout}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The version {@code --version} prints: this module's, from its jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CompareCommand.class.getPackage().getImplementationVersion();
            return new String[] {"compare (allocator4j) " + (version != null ? version : "(version unknown: not run from its jar)"),
                    "JDK " + Runtime.version()};
        }
    }
}
