package org.allocator4j.bench;

import java.util.concurrent.TimeUnit;

import org.allocator4j.api.Layout;
import org.allocator4j.bump.BumpArena;
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
 * {@code reset()} of an arena holding {@code blocks} live 16-byte blocks: the cost is O(chunks), so one
 * block and a million cost the same when they fit the same chunks.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="BumpResetBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc"}
 *
 * <p>The arena's first chunk (32 MiB) holds a million blocks, so both cases reset one chunk; the
 * blocks are allocated in a per-invocation setup, outside the measured time. {@code geometric} uses the
 * default chunk sizes instead: a million blocks then span chunks of 4 KiB doubling up to 8 MiB, and the
 * reset returns all but the largest to libc; its cost is per chunk, still not per block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpResetBenchmark {
    private static final Layout BLOCK = Layout.of(16, 8);

    @Param({"1", "1000000"})
    public int blocks;

    @Param({"oneChunk", "geometric"})
    public String chunks;

    private BumpArena arena;

    @Setup(Level.Trial)
    public void create() {
        arena = chunks.equals("oneChunk") ? BumpArena.builder().firstChunkSize(32L << 20).build() : BumpArena.create();
    }

    @Setup(Level.Invocation)
    public void fill() {
        if (chunks.equals("geometric")) {
            arena.close(); // start from the first small chunk each time, as a fresh arena would
            arena = BumpArena.create();
        }
        for (int i = 0; i < blocks; i++) {
            arena.allocate(BLOCK);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        arena.close();
    }

    @Benchmark
    public int reset() {
        arena.reset();
        return arena.chunks();
    }
}
