package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

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
 * The larson pattern of mimalloc-bench (Larson and Krishnan's server simulation, run there as
 * {@code larson 5 8 1000 5000 100 4141 N}): each thread keeps a table of live blocks of 8..1000 bytes and,
 * per operation, frees a random one and allocates a new one of a random size in its place. Two threads
 * on one shared allocator, 1000 blocks each (pre-filled at setup). Unlike the original, a thread's table
 * is not handed to a new thread between rounds: cross-thread frees are measured by
 * {@link SuiteProducerConsumerBenchmark}. {@code bump} and {@code slicing} free nothing one by one and are
 * left out.
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuiteLarsonBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
@Threads(2)
public class SuiteLarsonBenchmark {
    static final int BLOCKS = 1000;
    static final int MIN_SIZE = 8;
    static final int MAX_SIZE = 1000;

    @Param({"system", "slab", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "confined",
            "nettyPooled", "nettyAdaptive", "arrow"})
    public String subject;

    SuiteSubject allocator;
    /** Every thread's table, freed here before the allocator closes (JMH orders no thread-state teardown). */
    final Queue<SuiteSubject.Slots> tables = new ConcurrentLinkedQueue<>();

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (SuiteSubject.Slots slots; (slots = tables.poll()) != null; ) {
            for (int i = 0; i < BLOCKS; i++) {
                slots.free(i);
            }
        }
        allocator.close();
    }

    /** One thread's table of live blocks. */
    @State(Scope.Thread)
    public static class PerThread {
        SuiteSubject.Slots slots;
        SplittableRandom random;

        @Setup(Level.Trial)
        public void setUp(SuiteLarsonBenchmark shared) {
            slots = shared.allocator.slots(BLOCKS);
            random = new SplittableRandom(4141 + Thread.currentThread().threadId());
            for (int i = 0; i < BLOCKS; i++) {
                slots.allocate(i, random.nextInt(MIN_SIZE, MAX_SIZE + 1));
            }
            shared.tables.add(slots);
        }
    }

    @Benchmark
    public long larson(PerThread thread) {
        int victim = thread.random.nextInt(BLOCKS);
        thread.slots.free(victim);
        return thread.slots.allocate(victim, thread.random.nextInt(MIN_SIZE, MAX_SIZE + 1));
    }
}
