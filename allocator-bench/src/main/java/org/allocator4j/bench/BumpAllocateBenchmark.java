package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.bump.BumpArena;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bump allocation of small blocks against the JDK's {@code SegmentAllocator.slicingAllocator} and libc
 * {@code malloc}/{@code free} through the {@code system} allocator, in the same run.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="BumpAllocateBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 *
 * <p>Each invocation makes {@value #BATCH} allocations of {@code size} bytes aligned to 8, writes a long
 * into each and starts over: a fresh slicing allocator over one segment, {@code reset()} of the arena, a
 * frame closed, or (libc) a free right after each malloc. Scores are per allocation. The segments do not
 * escape the loop, so {@code gc.alloc.rate.norm} shows whether they are scalar-replaced.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpAllocateBenchmark {
    static final int BATCH = 256;

    @Param({"16", "64", "256"})
    public long size;

    private Arena jdkArena;
    private MemorySegment slab;
    private BumpArena bump;
    private GlobalAllocator system;
    private Layout layout;

    @Setup
    public void setUp() {
        jdkArena = Arena.ofConfined();
        slab = jdkArena.allocate(BATCH * 256L, 8);
        bump = BumpArena.builder().firstChunkSize(1 << 20).build();
        system = GlobalAllocator.system();
        layout = Layout.of(size, 8);
    }

    @TearDown
    public void tearDown() {
        bump.close();
        jdkArena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jdkSlicingAllocator() {
        SegmentAllocator slicing = SegmentAllocator.slicingAllocator(slab);
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = slicing.allocate(size, 8);
            s.set(ValueLayout.JAVA_LONG, 0, i);
            sum += s.address();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bumpArenaReset() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = bump.allocate(layout);
            s.set(ValueLayout.JAVA_LONG, 0, i);
            sum += s.address();
        }
        bump.reset();
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bumpFrame() {
        long sum = 0;
        try (BumpArena.Frame frame = bump.push()) {
            for (int i = 0; i < BATCH; i++) {
                MemorySegment s = frame.allocate(layout);
                s.set(ValueLayout.JAVA_LONG, 0, i);
                sum += s.address();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long libcMallocFree() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = system.allocate(layout);
            s.set(ValueLayout.JAVA_LONG, 0, i);
            sum += s.address();
            system.deallocate(s, layout);
        }
        return sum;
    }
}
