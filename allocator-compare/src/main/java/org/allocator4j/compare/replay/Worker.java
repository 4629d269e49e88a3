package org.allocator4j.compare.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.compare.footprint.FootprintProbe;
import org.allocator4j.compare.footprint.GlibcMalloc;
import org.allocator4j.compare.footprint.ResidentMemory;
import org.allocator4j.compare.strategy.NativeAllocator;
import org.allocator4j.compare.strategy.Strategy;
import org.allocator4j.compare.strategy.StrategyRegistry;

/**
 * What a worker process does: replays a trace file on its one strategy ({@link StrategyReplay}) and returns
 * the result. The worker's JVM must be started with {@link #JVM_OPTIONS}, so that its Java heap does not move
 * its resident memory: the footprint is that memory above a baseline.
 */
public final class Worker {
    /** The worker's Java heap: fixed, so that the heap neither grows nor shrinks during a replay. */
    public static final String HEAP = "128m";
    /**
     * The options every worker JVM is started with, before any the user gives: a fixed ({@code -Xms} =
     * {@code -Xmx}), pre-touched heap (all of it resident from the start, so it is in the baseline and never
     * moves the footprint), and the serial collector (no concurrent GC threads, the least native memory of
     * its own).
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch",
            "-XX:+UseSerialGC");

    private Worker() {
    }

    /**
     * {@return the result of replaying {@code traceFile} on strategy {@code name}}: a {@link ReplayResult}, or a
     * {@link StrategyRegistry.Skipped} if the strategy cannot be used here or the trace has no events
     *
     * @param traceFile    a trace file ({@link org.allocator4j.trace.Traces#open} reads it)
     * @param runs         timed replays
     * @param samples      evenly spaced footprint samples
     * @param verify       whether the checked pass checks block contents
     * @param warmupEvents events of the trace's prefix the warm-up replays
     */
    public static Object replay(Path traceFile, String name, int runs, int samples, boolean verify,
                                long warmupEvents) {
        StrategyRegistry.Found found = StrategyRegistry.find(List.of(name));
        if (found.strategies().isEmpty()) {
            return found.skipped().getFirst();
        }
        try {
            return replay(traceFile, found.strategies().getFirst(), runs, samples, verify, warmupEvents);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return new StrategyRegistry.Skipped(name, e.getMessage());
        } catch (RuntimeException e) {
            return new StrategyRegistry.Skipped(name, "could not be created: " + e);
        }
    }

    /**
     * {@return the result of replaying {@code traceFile} on {@code strategy}, in this JVM}
     *
     * @throws IllegalArgumentException      if the trace has no events
     * @throws UnsupportedOperationException if this is not Linux ({@code /proc/self/statm} cannot be read)
     */
    public static ReplayResult replay(Path traceFile, Strategy strategy, int runs, int samples, boolean verify,
                                      long warmupEvents) {
        Optional<ResidentMemory> resident = ResidentMemory.open(GlibcMalloc.pageSize());
        if (resident.isEmpty()) {
            throw new UnsupportedOperationException("/proc/self/statm cannot be read: the footprint needs Linux");
        }
        Subject subject = subject(strategy);
        try (TraceFileSource source = new TraceFileSource(traceFile); ResidentMemory memory = resident.get()) {
            TraceShape shape = TraceShape.of(source);
            if (shape.events() == 0) {
                throw new IllegalArgumentException("trace=" + traceFile + " has no events; expected at least 1");
            }
            return new StrategyReplay(runs, samples, verify, warmupEvents).replay(subject, source, shape, memory)
                    .withWorkerPeak(peakResident());
        }
    }

    /** {@return this process's peak resident memory ({@code VmHWM} in {@code /proc/self/status}), -1 if unknown} */
    static long peakResident() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }

    /** {@return what the replay needs of {@code strategy}: its version, own figure and how it gives memory back} */
    static Subject subject(Strategy strategy) {
        GlobalAllocator allocator = strategy.allocator().get();
        FootprintProbe own = strategy.footprint();
        String version = "";
        // glibc needs nothing given back: the measured thread's malloc arena is its own, untouched by the
        // warm-up's (and trimming every arena would make the JIT's later compilations fault their memory
        // back in, moving the footprint). jemalloc's arenas are shared between threads, mimalloc's caches too.
        Runnable release = () -> { };
        String releaseDescription = "nothing given back (glibc: the measured thread has an arena of its own)";
        if (allocator instanceof NativeAllocator library) {
            version = library.version();
            release = library::release;
            releaseDescription = library.releaseDescription();
        } else if (allocator == GlobalAllocator.system()) {
            version = "glibc " + GlibcMalloc.version();
        }
        if (allocator instanceof AutoCloseable && !(allocator instanceof NativeAllocator)
                && allocator != GlobalAllocator.system()) {
            closeQuietly(allocator); // a provider's fresh instance, made only to see what it is
        }
        return new Subject(strategy.name(), strategy.kind(), version, strategy.allocator(),
                own.available() ? own.source() : "n/a", own.available() ? own::bytes : null, release,
                releaseDescription);
    }

    private static void closeQuietly(GlobalAllocator allocator) {
        try {
            ((AutoCloseable) allocator).close();
        } catch (Exception e) {
            // nothing of it was used
        }
    }
}
