package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.bump.BumpArena;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Open a confined arena, allocate one block, write it, close: the bump-backed scoped {@link Arena}
 * against the JDK's {@link Arena#ofConfined()} and the API's generic scoped arena over libc.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="BumpScopedArenaBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 *
 * <p>{@code bumpThreadStack} opens the arena on the calling thread's stack
 * ({@link BumpArena#openScoped()}, one thread-local lookup); {@code bumpArena} on a bump arena held in
 * the benchmark state ({@link BumpArena#openArena()}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpScopedArenaBenchmark {
    @Param({"64"})
    public long size;

    private BumpArena bump;
    private GlobalAllocator system;

    @Setup
    public void setUp() {
        bump = BumpArena.create();
        system = GlobalAllocator.system();
    }

    @TearDown
    public void tearDown() {
        bump.close();
        BumpArena.releaseThreadStack();
    }

    @Benchmark
    public long jdkOfConfined() {
        try (Arena arena = Arena.ofConfined()) {
            return use(arena.allocate(size, 8));
        }
    }

    @Benchmark
    public long bumpThreadStack() {
        try (Arena arena = BumpArena.openScoped()) {
            return use(arena.allocate(size, 8));
        }
    }

    @Benchmark
    public long bumpArena() {
        try (Arena arena = bump.openArena()) {
            return use(arena.allocate(size, 8));
        }
    }

    @Benchmark
    public long apiScopedOverLibc() {
        try (Arena arena = system.openArena()) {
            return use(arena.allocate(size, 8));
        }
    }

    private static long use(MemorySegment segment) {
        segment.set(ValueLayout.JAVA_LONG, 0, 42);
        return segment.address() + segment.get(ValueLayout.JAVA_LONG, 0);
    }
}
