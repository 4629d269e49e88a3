package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's batch: 1000 blocks of 16..512 bytes (fixed pseudo-random sizes, multiples of 8) allocated,
 * then all freed in allocation order; one thread. Scores are per block (one allocation and one free).
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuiteBatchBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class SuiteBatchBenchmark {
    static final int BLOCKS = 1000;

    @Param({"system", "slab", "bump", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "confined",
            "slicing", "nettyPooled", "nettyAdaptive", "arrow"})
    public String subject;

    private SuiteSubject allocator;
    private SuiteSubject.Slots slots;
    private final int[] sizes = new int[BLOCKS];

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
        slots = allocator.slots(BLOCKS);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < BLOCKS; i++) {
            sizes[i] = 8 * random.nextInt(2, 65);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long batch() {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            sum += slots.allocate(i, sizes[i]);
        }
        for (int i = 0; i < BLOCKS; i++) {
            slots.free(i);
        }
        slots.round();
        return sum;
    }
}
