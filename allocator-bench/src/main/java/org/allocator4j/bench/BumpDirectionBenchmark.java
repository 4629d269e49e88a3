package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

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
 * Bumping down against bumping up, the two pointer forms alone over one segment with the same loop
 * around them, beside the JDK's {@code SegmentAllocator.slicingAllocator} (which bumps up).
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="BumpDirectionBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 *
 * <p>Each invocation makes {@value #BATCH} allocations of {@code size} bytes aligned to 8 and then starts
 * over (a fresh slicing allocator, a reset pointer); scores are per allocation. Only the address leaves
 * the loop, so no segment escapes and {@code gc.alloc.rate.norm} shows whether slices are scalar-replaced.
 * With {@code write}, a long is stored into each block: the memory is then walked downwards or upwards,
 * which the hardware prefetchers may treat differently.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpDirectionBenchmark {
    static final int BATCH = 256;
    private static final long ALIGN = 8;

    @Param({"16", "64", "256"})
    public long size;

    /** Whether a long is written into each block, as real use does (and as BumpAllocateBenchmark does). */
    @Param({"false", "true"})
    public boolean write;

    private Arena arena;
    private MemorySegment chunk;
    private long base;
    private long end;
    private long ptr;

    @Setup
    public void setUp() {
        arena = Arena.ofConfined();
        chunk = arena.allocate(BATCH * 256L + 4096, 4096);
        base = chunk.address();
        end = base + chunk.byteSize();
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jdkSlicingAllocator() {
        SegmentAllocator slicing = SegmentAllocator.slicingAllocator(chunk);
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = slicing.allocate(size, ALIGN);
            if (write) {
                s.set(ValueLayout.JAVA_LONG, 0, i);
            }
            sum += s.address();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bumpDown() {
        ptr = end;
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = down(size, ALIGN);
            if (write) {
                s.set(ValueLayout.JAVA_LONG, 0, i);
            }
            sum += s.address();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bumpUp() {
        ptr = base;
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            MemorySegment s = up(size, ALIGN);
            if (write) {
                s.set(ValueLayout.JAVA_LONG, 0, i);
            }
            sum += s.address();
        }
        return sum;
    }

    private MemorySegment down(long byteSize, long alignment) {
        long p = (ptr - byteSize) & -alignment; // one subtraction cannot wrap: ptr > 0, byteSize >= 0
        if (p < base) {
            throw new IllegalStateException("chunk full");
        }
        ptr = p;
        return chunk.asSlice(p - base, byteSize);
    }

    private MemorySegment up(long byteSize, long alignment) {
        long p = (ptr + alignment - 1) & -alignment;
        long e = p + byteSize;
        if (e > end || e < p) { // the second test catches wrap-around of a huge byteSize
            throw new IllegalStateException("chunk full");
        }
        ptr = e;
        return chunk.asSlice(p - base, byteSize);
    }
}
