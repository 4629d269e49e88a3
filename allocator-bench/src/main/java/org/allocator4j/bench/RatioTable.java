package org.allocator4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JMH JSON result file of the suite into a Markdown table of ratios against the anchors measured in
 * the same run: per workload and size, each subject's ns/op (with JMH's 99.9% error), its ratio to glibc
 * {@code malloc}/{@code free} through FFM ({@code glibc}), its ratio to the faster of {@code jemalloc} and
 * {@code mimalloc}, and heap bytes per operation from {@code -prof gc}. A ratio above 1 is slower than the
 * anchor. Subjects without a result (library missing, benchmark failed) are listed as missing.
 *
 * <p>{@code java -cp ... org.allocator4j.bench.RatioTable results/suite.json results/suite.md}
 * ({@code allocator-bench/run-suite.sh} does it).
 */
public final class RatioTable {
    /** The anchor of the first ratio column. */
    static final String GLIBC = "glibc";
    /** The anchors of the second ratio column: the faster of the two, per workload and size. */
    static final List<String> NATIVE_BEST = List.of("jemalloc", "mimalloc");

    private static final Map<String, String> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("SuitePairBenchmark.pair", "pair: allocate + free, 1 thread");
        WORKLOADS.put("SuiteBatchBenchmark.batch", "batch: 1000 blocks of 16..512 B, all allocated then all freed (per block)");
        WORKLOADS.put("SuiteTwoThreadsBenchmark.pair", "two threads: allocate + free on one shared allocator (per thread)");
        WORKLOADS.put("SuiteProducerConsumerBenchmark.handoff", "producer/consumer: allocated on one thread, freed on another (per block)");
        WORKLOADS.put("SuiteGlibcSimpleBenchmark.glibcSimple", "glibc-simple (mimalloc-bench): 100 blocks written, freed half FIFO half LIFO (per block)");
        WORKLOADS.put("SuiteLarsonBenchmark.larson", "larson (mimalloc-bench): 2 threads, free a random block of 1000 and allocate 8..1000 B in its place");
    }

    private RatioTable() {
    }

    /** The machine a table was measured on. */
    record Machine(int cores, String cpu) {
    }

    /** One JMH result: workload key ({@code Class.method}), size ({@code "-"} if none), subject, numbers. */
    record Row(String workload, String size, String subject, double nanos, double error, double bytesPerOp) {
    }

    /**
     * Reads {@code args[0]} (JMH JSON) and writes the Markdown table to {@code args[1]}.
     *
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: RatioTable <jmh-result.json> <table.md>");
            System.exit(2);
        }
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        String table = render(json, localMachine(), Instant.now());
        Files.writeString(Path.of(args[1]), table, StandardCharsets.UTF_8);
        System.out.println("RatioTable: wrote " + args[1]);
    }

    /**
     * {@return the Markdown table of a JMH JSON result}
     *
     * @throws IllegalArgumentException if {@code json} is not a JMH result (an array of benchmark objects)
     */
    static String render(String json, Machine machine, Instant when) {
        Object parsed = SuiteJson.parse(json);
        if (!(parsed instanceof List<?> results)) {
            throw new IllegalArgumentException("json=" + kind(parsed) + "; expected a JMH result array");
        }
        List<Row> rows = new ArrayList<>();
        Map<?, ?> first = null;
        for (Object result : results) {
            if (!(result instanceof Map<?, ?> benchmark)) {
                throw new IllegalArgumentException("element=" + kind(result) + "; expected a JMH benchmark object");
            }
            if (first == null) {
                first = benchmark;
            }
            rows.add(row(benchmark));
        }
        StringBuilder out = new StringBuilder();
        header(out, first, machine, when);
        Map<String, Map<String, List<Row>>> groups = new LinkedHashMap<>();
        for (String workload : WORKLOADS.keySet()) {
            groups.put(workload, new LinkedHashMap<>());
        }
        for (Row row : rows) {
            groups.computeIfAbsent(row.workload(), w -> new LinkedHashMap<>())
                    .computeIfAbsent(row.size(), s -> new ArrayList<>()).add(row);
        }
        summary(out, groups);
        for (var workload : groups.entrySet()) {
            for (var size : workload.getValue().entrySet()) {
                section(out, workload.getKey(), size.getKey(), size.getValue());
            }
        }
        return out.toString();
    }

    /** {@return the CPU model and number of cores of this machine, from /proc/cpuinfo where there is one} */
    static Machine localMachine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or not readable: say unknown.
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), cpu);
    }

    static Row row(Map<?, ?> benchmark) {
        String name = String.valueOf(benchmark.get("benchmark"));
        String[] parts = name.split("\\.");
        String workload = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
        Map<?, ?> params = benchmark.get("params") instanceof Map<?, ?> p ? p : Map.of();
        Object subject = params.get("subject");
        Object size = params.get("size");
        if (!(benchmark.get("primaryMetric") instanceof Map<?, ?> primary)) {
            throw new IllegalArgumentException("benchmark=" + name + ": expected a primaryMetric object");
        }
        String unit = String.valueOf(primary.get("scoreUnit"));
        if (!unit.equals("ns/op")) {
            throw new IllegalArgumentException("benchmark=" + name + ", scoreUnit=" + unit + "; expected ns/op "
                    + "(the suite runs in average-time mode, in nanoseconds)");
        }
        double bytes = Double.NaN;
        if (benchmark.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
            for (var metric : secondary.entrySet()) {
                if (String.valueOf(metric.getKey()).endsWith("gc.alloc.rate.norm")
                        && metric.getValue() instanceof Map<?, ?> norm) {
                    bytes = SuiteJson.number(norm.get("score"));
                }
            }
        }
        return new Row(workload, size == null ? "-" : String.valueOf(size),
                subject == null ? "-" : String.valueOf(subject),
                SuiteJson.number(primary.get("score")), SuiteJson.number(primary.get("scoreError")), bytes);
    }

    private static void header(StringBuilder out, Map<?, ?> first, Machine machine, Instant when) {
        out.append("# allocator4j JMH suite: ratios against the anchors\n\n");
        out.append("- date: ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                when.atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC\n");
        out.append("- machine: ").append(machine.cores()).append(" cores, ").append(machine.cpu()).append('\n');
        if (first != null) {
            out.append("- JDK: ").append(first.get("jdkVersion")).append(", ").append(first.get("vmName"))
                    .append(' ').append(first.get("vmVersion")).append('\n');
            out.append("- JMH ").append(first.get("jmhVersion")).append(": ").append(integer(first.get("forks")))
                    .append(" fork(s), ").append(integer(first.get("warmupIterations"))).append(" x ")
                    .append(first.get("warmupTime")).append(" warm-up, ")
                    .append(integer(first.get("measurementIterations"))).append(" x ")
                    .append(first.get("measurementTime")).append(" measurement, -prof gc\n");
        } else {
            out.append("- no results\n");
        }
        out.append("\nns/op: average time per operation (+- JMH's 99.9% error). x glibc: ns/op divided by glibc ")
                .append("malloc/free through FFM in the same run; x je/mi: divided by the faster of jemalloc and ")
                .append("mimalloc; above 1 is slower. B/op: Java heap bytes per operation (-prof gc). ")
                .append("Differences under ~30% are noise on a shared machine unless they hold across forks.\n\n");
    }

    private static void summary(StringBuilder out, Map<String, Map<String, List<Row>>> groups) {
        List<String> columns = new ArrayList<>();
        List<List<Row>> cells = new ArrayList<>();
        Set<String> subjects = new LinkedHashSet<>(SuiteSubject.ALL);
        for (var workload : groups.entrySet()) {
            for (var size : workload.getValue().entrySet()) {
                columns.add(shortName(workload.getKey()) + (size.getKey().equals("-") ? "" : " " + size.getKey()));
                cells.add(size.getValue());
                size.getValue().forEach(row -> subjects.add(row.subject()));
            }
        }
        if (columns.isEmpty()) {
            return;
        }
        out.append("## Summary: x glibc (ns/op ratio, lower is faster)\n\n| subject |");
        columns.forEach(c -> out.append(' ').append(c).append(" |"));
        out.append("\n|---|");
        columns.forEach(c -> out.append("---:|"));
        out.append('\n');
        for (String subject : subjects) {
            boolean any = false;
            StringBuilder line = new StringBuilder("| ").append(subject).append(" |");
            for (List<Row> cell : cells) {
                Row row = find(cell, subject);
                Row glibc = find(cell, GLIBC);
                any |= row != null;
                line.append(' ').append(row == null ? "" : ratio(row.nanos(), glibc)).append(" |");
            }
            if (any) {
                out.append(line).append('\n');
            }
        }
        out.append('\n');
    }

    private static void section(StringBuilder out, String workload, String size, List<Row> rows) {
        out.append("## ").append(WORKLOADS.getOrDefault(workload, workload));
        if (!size.equals("-")) {
            out.append(", ").append(size).append(" B");
        }
        out.append("\n\n| subject | ns/op | +- | x glibc | x je/mi | B/op |\n|---|---:|---:|---:|---:|---:|\n");
        Row glibc = find(rows, GLIBC);
        Row best = null;
        for (String anchor : NATIVE_BEST) {
            Row candidate = find(rows, anchor);
            if (candidate != null && (best == null || candidate.nanos() < best.nanos())) {
                best = candidate;
            }
        }
        List<Row> ordered = new ArrayList<>();
        for (String subject : SuiteSubject.ALL) {
            Row row = find(rows, subject);
            if (row != null) {
                ordered.add(row);
            }
        }
        for (Row row : rows) {
            if (!ordered.contains(row)) {
                ordered.add(row);
            }
        }
        for (Row row : ordered) {
            out.append("| ").append(row.subject()).append(" | ").append(format(row.nanos())).append(" | ")
                    .append(format(row.error())).append(" | ").append(ratio(row.nanos(), glibc)).append(" | ")
                    .append(ratio(row.nanos(), best)).append(" | ").append(format(row.bytesPerOp())).append(" |\n");
        }
        List<String> missing = new ArrayList<>();
        if (WORKLOADS.containsKey(workload)) {
            for (String subject : SuiteSubject.ALL) {
                if (find(rows, subject) == null && expected(workload, subject)) {
                    missing.add(subject);
                }
            }
        }
        if (!missing.isEmpty()) {
            out.append("\nmissing (no result: library not installed, excluded, or the benchmark failed): ")
                    .append(String.join(", ", missing)).append('\n');
        }
        out.append('\n');
    }

    private static boolean expected(String workload, String subject) {
        return switch (workload) {
            case "SuiteProducerConsumerBenchmark.handoff" -> SuiteSubject.CROSS_THREAD.contains(subject);
            case "SuiteLarsonBenchmark.larson" -> !subject.equals("bump") && !subject.equals("slicing");
            default -> true;
        };
    }

    private static String shortName(String workload) {
        return switch (workload) {
            case "SuitePairBenchmark.pair" -> "pair";
            case "SuiteBatchBenchmark.batch" -> "batch";
            case "SuiteTwoThreadsBenchmark.pair" -> "2 threads";
            case "SuiteProducerConsumerBenchmark.handoff" -> "prod/cons";
            case "SuiteGlibcSimpleBenchmark.glibcSimple" -> "glibc-simple";
            case "SuiteLarsonBenchmark.larson" -> "larson";
            default -> workload;
        };
    }

    private static Row find(List<Row> rows, String subject) {
        for (Row row : rows) {
            if (row.subject().equals(subject)) {
                return row;
            }
        }
        return null;
    }

    static String ratio(double nanos, Row anchor) {
        if (anchor == null || !(anchor.nanos() > 0) || Double.isNaN(nanos)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", nanos / anchor.nanos());
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String integer(Object value) {
        return value instanceof Double d ? String.valueOf(d.longValue()) : String.valueOf(value);
    }

    private static String kind(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
