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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's single pair: one block allocated and freed, one thread, every {@linkplain SuiteSubject subject}
 * at 16, 64, 256, 4096 and 65536 bytes.
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuitePairBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class SuitePairBenchmark {
    @Param({"system", "slab", "bump", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "confined",
            "slicing", "nettyPooled", "nettyAdaptive", "arrow"})
    public String subject;

    @Param({"16", "64", "256", "4096", "65536"})
    public int size;

    private SuiteSubject allocator;
    private SuiteSubject.Slots slots;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
        slots = allocator.slots(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }

    @Benchmark
    public long pair() {
        long address = slots.allocate(0, size);
        slots.free(0);
        return address;
    }
}
