package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * Holders of the allocator: this state and every thread's table. JMH orders no teardown of thread
     * states against this state's, and a table must be freed by its own thread (confined arenas), so the
     * last holder to leave closes the allocator.
     */
    final AtomicInteger holders = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
        holders.set(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        leave();
    }

    void leave() {
        if (holders.decrementAndGet() == 0) {
            allocator.close();
        }
    }

    /** One thread's table of live blocks. */
    @State(Scope.Thread)
    public static class PerThread {
        SuiteLarsonBenchmark shared;
        SuiteSubject.Slots slots;
        SplittableRandom random;

        @Setup(Level.Trial)
        public void setUp(SuiteLarsonBenchmark shared) {
            this.shared = shared;
            shared.holders.incrementAndGet();
            slots = shared.allocator.slots(BLOCKS);
            random = new SplittableRandom(4141 + Thread.currentThread().threadId());
            for (int i = 0; i < BLOCKS; i++) {
                slots.allocate(i, random.nextInt(MIN_SIZE, MAX_SIZE + 1));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (int i = 0; i < BLOCKS; i++) {
                slots.free(i);
            }
            shared.leave();
        }
    }

    @Benchmark
    public long larson(PerThread thread) {
        int victim = thread.random.nextInt(BLOCKS);
        thread.slots.free(victim);
        return thread.slots.allocate(victim, thread.random.nextInt(MIN_SIZE, MAX_SIZE + 1));
    }
}
