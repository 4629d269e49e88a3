package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * The suite's producer/consumer: one thread allocates blocks and hands them over through a ring of
 * 1024 slots, another frees them (every free is a cross-thread free). Scores are per block for each side;
 * the group's score is their average. Only subjects whose blocks may be freed by another thread
 * ({@link SuiteSubject#CROSS_THREAD}) take part.
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuiteProducerConsumerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class SuiteProducerConsumerBenchmark {
    static final int RING = 1024;

    @Param({"system", "slab", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "nettyPooled",
            "nettyAdaptive", "arrow"})
    public String subject;

    @Param({"64"})
    public int size;

    private SuiteSubject allocator;
    private SuiteSubject.Slots slots;
    /** Blocks published by the producer; written by it only, with release semantics. */
    private final AtomicLong produced = new AtomicLong();
    /** Blocks freed by the consumer; written by it only, with release semantics. */
    private final AtomicLong consumed = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        if (!SuiteSubject.CROSS_THREAD.contains(subject)) {
            throw new IllegalArgumentException("subject=" + subject + "; expected one whose blocks another thread "
                    + "may free: " + SuiteSubject.CROSS_THREAD);
        }
        allocator = SuiteSubject.open(subject);
        slots = allocator.slots(RING);
    }

    @TearDown(Level.Iteration)
    public void drain() {
        // Both threads have stopped: free what was handed over and not yet freed.
        for (long i = consumed.get(); i < produced.get(); i++) {
            slots.free((int) (i % RING));
        }
        consumed.set(produced.get());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long produce(Control control) {
        long next = produced.getPlain();
        while (next - consumed.getAcquire() >= RING) {
            if (control.stopMeasurement) {
                return 0;
            }
            Thread.onSpinWait();
        }
        long address = slots.allocate((int) (next % RING), size);
        produced.setRelease(next + 1);
        return address;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consume(Control control) {
        long next = consumed.getPlain();
        while (next >= produced.getAcquire()) {
            if (control.stopMeasurement) {
                return 0;
            }
            Thread.onSpinWait();
        }
        slots.free((int) (next % RING));
        consumed.setRelease(next + 1);
        return next;
    }
}
