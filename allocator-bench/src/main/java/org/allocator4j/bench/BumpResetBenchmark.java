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
 * -Djmh.args="BumpResetBenchmark -f 1"} (keep the annotated iteration counts: each is one reset)
 *
 * <p>Each measurement is one {@code reset()} (single shot) after a setup that fills the arena with
 * {@code blocks} blocks outside the measured time; the trial setup first runs {@code reset()} enough
 * times for the JIT to compile it. With {@code oneChunk} the arena's first chunk (32 MiB) holds a
 * million blocks, so both block counts reset one chunk. With {@code geometric} (the default chunk sizes)
 * a million blocks span 13 chunks of 4 KiB doubling up to 16 MiB, and the reset returns all but the
 * largest to libc: its cost is per chunk (and libc's {@code munmap} of the large ones), not per block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 20, batchSize = 1)
@Measurement(iterations = 100, batchSize = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BumpResetBenchmark {
    private static final Layout BLOCK = Layout.of(16, 8);

    @Param({"1", "1000000"})
    public int blocks;

    @Param({"oneChunk", "geometric"})
    public String chunks;

    /**
     * {@code same}: the blocks are in the arena that is reset. {@code other}: the control; the same
     * number of blocks is allocated in another arena and the measured arena holds one block, so the
     * setup disturbs caches and branch predictors just as much, but the reset has nothing more to do.
     */
    @Param({"same", "other"})
    public String fill;

    private BumpArena arena;
    private BumpArena control;

    @Setup(Level.Trial)
    public void create() {
        arena = chunks.equals("oneChunk") ? BumpArena.builder().firstChunkSize(32L << 20).build() : BumpArena.create();
        control = BumpArena.builder().firstChunkSize(32L << 20).build();
        for (int i = 0; i < 50_000; i++) { // let the JIT compile allocate and reset
            arena.allocate(BLOCK);
            arena.reset();
        }
    }

    @Setup(Level.Iteration)
    public void fill() {
        if (chunks.equals("geometric")) {
            arena.close(); // start from the first small chunk each time, as a fresh arena would
            arena = BumpArena.create();
        }
        BumpArena target = fill.equals("same") ? arena : control;
        if (target == control) {
            arena.allocate(BLOCK);
            control.reset();
        }
        for (int i = 0; i < blocks; i++) {
            target.allocate(BLOCK);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        arena.close();
        control.close();
    }

    @Benchmark
    public int reset() {
        arena.reset();
        return arena.chunks();
    }
}
