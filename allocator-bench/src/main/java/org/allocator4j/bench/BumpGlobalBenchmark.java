package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.bump.BumpAllocatorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The global bump allocator (provider {@code bump}) with a chunk per thread against one chunk shared by
 * CAS, on one thread and on two.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="BumpGlobalBenchmark -f 1 -prof gc"}
 *
 * <p>The allocator never frees, so each measurement is one shot of {@value #BATCH} allocations of 64
 * bytes per thread (16 MiB), not a timed loop that would allocate without bound; scores are per
 * allocation. The allocator is created through {@link GlobalAllocator#named(String)} with
 * {@value BumpAllocatorProvider#CHUNKING_PROPERTY} set, as an application would configure it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 20, batchSize = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpGlobalBenchmark {
    static final int BATCH = 1 << 18;
    private static final Layout BLOCK = Layout.of(64, 8);

    @Param({"thread", "shared"})
    public String chunking;

    private GlobalAllocator bump;

    @Setup
    public void setUp() {
        System.setProperty(BumpAllocatorProvider.CHUNKING_PROPERTY, chunking);
        System.setProperty(BumpAllocatorProvider.CAPACITY_PROPERTY, "16g"); // reserved lazily, chunk by chunk
        bump = GlobalAllocator.named(BumpAllocatorProvider.NAME);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long oneThread() {
        return run();
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public long twoThreads() {
        return run();
    }

    private long run() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = bump.allocate(BLOCK);
            sum += s.address();
        }
        return sum;
    }
}
