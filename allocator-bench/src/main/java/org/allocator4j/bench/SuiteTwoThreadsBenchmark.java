package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's two threads: the single pair (64 and 4096 bytes) run by two threads at once on one shared
 * allocator (arena-like subjects -- bump, slicing, confined -- get one arena per thread, as they are used).
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuiteTwoThreadsBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
@Threads(2)
public class SuiteTwoThreadsBenchmark {
    @Param({"system", "slab", "bump", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "confined",
            "slicing", "nettyPooled", "nettyAdaptive", "arrow"})
    public String subject;

    @Param({"64", "4096"})
    public int size;

    SuiteSubject allocator;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }

    /** One thread's table of one slot. */
    @State(Scope.Thread)
    public static class PerThread {
        SuiteSubject.Slots slots;

        @Setup(Level.Trial)
        public void setUp(SuiteTwoThreadsBenchmark shared) {
            slots = shared.allocator.slots(1);
        }
    }

    @Benchmark
    public long pair(PerThread thread) {
        long address = thread.slots.allocate(0, size);
        thread.slots.free(0);
        return address;
    }
}
