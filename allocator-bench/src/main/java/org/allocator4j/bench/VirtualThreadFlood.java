package org.allocator4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
import org.allocator4j.tracking.Tracking;

/**
 * A flood of short virtual threads, each allocating and freeing {@value #BLOCKS} blocks of 64 bytes, timed
 * in fresh JVMs at {@code -Xmx512m}: wall time and peak RSS ({@code VmHWM} of {@code /proc/self/status})
 * for {@code system}, {@code slab}, {@code tracking} over slab and {@code tracking} over system, the median
 * of several runs each, the allocators taking turns so that machine noise spreads over all of them.
 *
 * <p>Build, then run from the repository root with JDK 25:
 * <pre>
 * mvn -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -pl allocator-bench -am
 * java -cp allocator-bench/target/classes:$(cat allocator-bench/target/cp.txt) \
 *     org.allocator4j.bench.VirtualThreadFlood allocator-bench/results/virtual-thread-flood.json 5 1000000 100000
 * </pre>
 * Arguments: the JSON file to write, runs per row, then the thread counts. Each run is a child JVM started
 * with {@code run ALLOCATOR THREADS}, which prints one JSON line.
 */
public final class VirtualThreadFlood {
    static final Layout LAYOUT = Layout.of(64, 8);
    static final int BLOCKS = 4;
    static final List<String> ALLOCATORS = List.of("system", "slab", "tracking-slab", "tracking-system");
    private static final long TIMEOUT_SECONDS = 600;
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(-?\\d+)");

    private VirtualThreadFlood() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("run")) {
            run(args[1], Integer.parseInt(args[2]));
            return;
        }
        if (args.length < 3) {
            throw new IllegalArgumentException("args=" + Arrays.toString(args)
                    + "; expected OUT.json RUNS THREADS... or run ALLOCATOR THREADS");
        }
        int runs = Integer.parseInt(args[1]);
        int[] threads = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        measure(Path.of(args[0]), runs, threads, String.join(" ", args));
    }

    /** {@return the allocator a row names} */
    static GlobalAllocator allocator(String name) {
        return switch (name) {
            case "system" -> GlobalAllocator.system();
            case "slab" -> SlabAllocator.create(SlabConfig.DEFAULT);
            case "tracking-slab" -> Tracking.wrap(SlabAllocator.create(SlabConfig.DEFAULT));
            case "tracking-system" -> Tracking.wrap(GlobalAllocator.system());
            default -> throw new IllegalArgumentException("allocator=" + name + "; expected one of " + ALLOCATORS);
        };
    }

    /** One run, in this JVM: the flood, then one JSON line with the time and the peak RSS. */
    static void run(String name, int threads) throws Exception {
        GlobalAllocator allocator = allocator(name);
        LongAdder done = new LongAdder();
        LongAdder corrupt = new LongAdder();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                long stamp = t;
                executor.execute(() -> {
                    MemorySegment[] blocks = new MemorySegment[BLOCKS];
                    for (int i = 0; i < BLOCKS; i++) {
                        blocks[i] = allocator.allocate(LAYOUT);
                        blocks[i].set(ValueLayout.JAVA_LONG, 16, stamp + i);
                    }
                    for (int i = 0; i < BLOCKS; i++) {
                        if (blocks[i].get(ValueLayout.JAVA_LONG, 16) != stamp + i) {
                            corrupt.increment();
                        }
                        allocator.deallocate(blocks[i], LAYOUT);
                    }
                    done.increment();
                });
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("{\"threads\":" + threads + ",\"done\":" + done.sum() + ",\"corrupt\":" + corrupt.sum()
                + ",\"millis\":" + millis + ",\"vmHwmKiB\":" + vmHwmKiB() + "}");
    }

    /** {@return the process's peak resident set in KiB, from {@code /proc/self/status}; -1 if unreadable} */
    static long vmHwmKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    private record Sample(long millis, long vmHwmKiB) {
    }

    private static void measure(Path out, int runs, int[] threadCounts, String arguments) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"program\": \"org.allocator4j.bench.VirtualThreadFlood ").append(arguments).append("\",\n")
                .append("  \"child\": \"java -Xmx512m --enable-native-access=ALL-UNNAMED ... run ALLOCATOR THREADS\",\n")
                .append("  \"jdk\": \"").append(System.getProperty("java.vm.version")).append("\",\n")
                .append("  \"processors\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n")
                .append("  \"loadAverageAtStart\": \"").append(loadAverage()).append("\",\n")
                .append("  \"blockSize\": 64, \"blocksPerThread\": ").append(BLOCKS).append(",\n")
                .append("  \"rows\": [\n");
        List<String> rows = new ArrayList<>();
        for (int threads : threadCounts) {
            List<List<Sample>> samples = new ArrayList<>();
            ALLOCATORS.forEach(a -> samples.add(new ArrayList<>()));
            for (int r = 0; r < runs; r++) {
                for (int a = 0; a < ALLOCATORS.size(); a++) { // the allocators take turns within a round
                    samples.get(a).add(child(java, classPath, ALLOCATORS.get(a), threads));
                }
            }
            Sample system = median(samples.get(0));
            for (int a = 0; a < ALLOCATORS.size(); a++) {
                Sample m = median(samples.get(a));
                String row = String.format(Locale.ROOT, "    {\"allocator\": \"%s\", \"threads\": %d, "
                                + "\"medianMillis\": %d, \"medianVmHwmKiB\": %d, \"timeVsSystem\": %.2f, "
                                + "\"rssVsSystem\": %.2f, \"runs\": %s}",
                        ALLOCATORS.get(a), threads, m.millis, m.vmHwmKiB, (double) m.millis / system.millis,
                        (double) m.vmHwmKiB / system.vmHwmKiB, samples.get(a).stream()
                                .map(s -> "[" + s.millis + ", " + s.vmHwmKiB + "]").toList());
                rows.add(row);
                System.out.println(row.strip());
            }
        }
        json.append(String.join(",\n", rows)).append("\n  ],\n  \"loadAverageAtEnd\": \"").append(loadAverage())
                .append("\",\n  \"units\": \"runs: [millis, VmHWM KiB]\"\n}\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private static Sample child(String java, String classPath, String allocator, int threads) throws Exception {
        Path log = Files.createTempFile("virtual-thread-flood", ".log");
        try {
            Process process = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                    classPath, VirtualThreadFlood.class.getName(), "run", allocator, Integer.toString(threads))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(allocator + " threads=" + threads + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            return parse(allocator, threads, process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Sample parse(String allocator, int threads, int exit, String output) {
        String[] lines = output.strip().split("\n");
        String last = lines[lines.length - 1];
        long millis = -1;
        long hwm = -1;
        long done = -1;
        long corrupt = -1;
        Matcher m = FIELD.matcher(last);
        while (m.find()) {
            long value = Long.parseLong(m.group(2));
            switch (m.group(1)) {
                case "millis" -> millis = value;
                case "vmHwmKiB" -> hwm = value;
                case "done" -> done = value;
                case "corrupt" -> corrupt = value;
                default -> { }
            }
        }
        if (exit != 0 || done != threads || corrupt != 0 || millis < 0) {
            throw new IllegalStateException(allocator + " threads=" + threads + " failed (exit=" + exit + "): "
                    + output);
        }
        return new Sample(millis, hwm);
    }

    private static Sample median(List<Sample> samples) {
        long[] millis = samples.stream().mapToLong(Sample::millis).sorted().toArray();
        long[] hwm = samples.stream().mapToLong(Sample::vmHwmKiB).sorted().toArray();
        return new Sample(millis[millis.length / 2], hwm[hwm.length / 2]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
