package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One allocate+deallocate pair through a tracking allocator over {@code system}, against {@code system}
 * alone (the anchor) in the same run; one allocator shared by all benchmark threads, so run it with
 * {@code -t 1} and {@code -t 2} to see whether the counters contend.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="TrackingAllocateBenchmark -t 2 -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff tracking-t2.json"}
 *
 * <p>Modes: {@code system} (no tracking), {@code stats} (statistics only: sampling off),
 * {@code sampled} (statistics and the default 1-in-4096 site sampling), {@code checked} (checked mode:
 * red zones, a site per allocation and free, quarantine, one lock).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrackingAllocateBenchmark {
    @Param({"system", "stats", "sampled", "checked"})
    public String mode;

    @Param({"64", "1024"})
    public long size;

    private GlobalAllocator allocator;
    private Layout layout;

    @Setup(Level.Trial)
    public void setUp() {
        GlobalAllocator system = GlobalAllocator.system();
        allocator = switch (mode) {
            case "system" -> system;
            case "stats" -> Tracking.builder(system).sampleEvery(0).jmx(false).build();
            case "sampled" -> Tracking.builder(system).sampleEvery(Tracking.DEFAULT_SAMPLE_EVERY).jmx(false).build();
            case "checked" -> Tracking.builder(system).checked(true).jmx(false).build();
            default -> throw new IllegalArgumentException("mode=" + mode
                    + "; expected system, stats, sampled or checked");
        };
        layout = Layout.of(size, 8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (allocator instanceof TrackingAllocator tracking) {
            tracking.close();
        }
    }

    @Benchmark
    public long allocateDeallocate() {
        MemorySegment block = allocator.allocate(layout);
        long address = block.address();
        allocator.deallocate(block, layout);
        return address;
    }
}
