package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

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
 * The glibc-simple pattern of mimalloc-bench (after glibc's {@code bench-malloc-simple}, with mimalloc-bench's
 * change): {@code n} blocks of one size allocated and each byte written, then the first half freed in FIFO
 * order and the second half in LIFO order; one thread. Here {@code n} = 100 and the size is 64 bytes (the
 * bytes are written through the block's address, so every subject pays the same). Scores are per block.
 *
 * <p>{@code allocator-bench/run-suite.sh}, or alone: {@code mvn -q -DskipTests package exec:exec@jmh
 * -pl allocator-bench -am -Djmh.args="SuiteGlibcSimpleBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class SuiteGlibcSimpleBenchmark {
    static final int BLOCKS = 100;

    @Param({"system", "slab", "bump", "tracking", "glibc", "glibcCritical", "jemalloc", "mimalloc", "confined",
            "slicing", "nettyPooled", "nettyAdaptive", "arrow"})
    public String subject;

    @Param({"64"})
    public int size;

    private SuiteSubject allocator;
    private SuiteSubject.Slots slots;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = SuiteSubject.open(subject);
        slots = allocator.slots(BLOCKS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long glibcSimple() {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            sum += slots.allocate(i, size);
            slots.fill(i, size);
        }
        for (int i = 0; i < BLOCKS / 2; i++) {
            slots.free(i);
        }
        for (int i = BLOCKS - 1; i >= BLOCKS / 2; i--) {
            slots.free(i);
        }
        slots.round();
        return sum;
    }
}
