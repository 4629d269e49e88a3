package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.strategy.NativeAnchor;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch workload: 1000 blocks of 16..512 B (a fixed random sequence), all allocated, then all freed;
 * time per block, with 1 thread ({@code batch}) and with 2 threads sharing one allocator ({@code batch2}).
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="SlabBatchBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff results/slab-batch.json"}
 *
 * <p>Anchors as in {@link SlabAllocateBenchmark}; {@code slabTinyCache} is the slab allocator with two
 * blocks per class in each thread cache, so that blocks go through the slabs' in-block free lists
 * (free lists inside the blocks) instead of the caches' stacks (beside them). Blocks are kept as addresses and freed through
 * {@code MemorySegment.ofAddress}, so no segment escapes; {@code 2 threads} scale perfectly when their
 * time per block equals one thread's (throughput = 2x).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@OperationsPerInvocation(SlabBatchBenchmark.BLOCKS)
public class SlabBatchBenchmark {
    static final int BLOCKS = 1000;

    /** The allocator, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"slab", "slabTinyCache", "system", "glibcCritical", "jemalloc", "mimalloc", "netty", "nettyCached", "arena"})
        public String allocator;

        int kind;
        int nativeAnchor;
        GlobalAllocator global;

        @Setup(Level.Trial)
        public void setUp() {
            nativeAnchor = NativeAnchor.of(allocator);
            kind = switch (allocator) {
                case "slab", "slabTinyCache" -> SlabAllocateBenchmark.SLAB;
                case "system" -> SlabAllocateBenchmark.SYSTEM;
                case "netty" -> SlabAllocateBenchmark.NETTY;
                case "nettyCached" -> SlabAllocateBenchmark.NETTY_CACHED;
                case "arena" -> SlabAllocateBenchmark.ARENA;
                default -> SlabAllocateBenchmark.NATIVE;
            };
            global = switch (allocator) {
                case "slab" -> SlabAllocator.create(SlabConfig.DEFAULT);
                // Two blocks per class in the cache: nearly every block goes through the slabs' free
                // lists, which live inside the blocks; "slab" keeps them beside, in the cache's stacks.
                case "slabTinyCache" -> SlabAllocator.create(new SlabConfig("system", 64 * 1024, 64 * 1024, 2, 1000));
                default -> GlobalAllocator.system();
            };
            if (kind == SlabAllocateBenchmark.NATIVE) {
                NativeAnchor.load(nativeAnchor);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (global instanceof SlabAllocator slab) {
                slab.close();
            }
        }
    }

    /** One thread's blocks. */
    @State(Scope.Thread)
    public static class Blocks {
        final Layout[] layouts = new Layout[BLOCKS];
        final int[] sizes = new int[BLOCKS];
        final long[] addresses = new long[BLOCKS];
        final ByteBuf[] buffers = new ByteBuf[BLOCKS];

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < BLOCKS; i++) {
                sizes[i] = 16 + random.nextInt(497);
                layouts[i] = Layout.of(sizes[i], 8);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long batch(Shared shared, Blocks blocks) {
        return run(shared, blocks);
    }

    @Benchmark
    @Threads(2)
    public long batch2(Shared shared, Blocks blocks) {
        return run(shared, blocks);
    }

    private static long run(Shared shared, Blocks b) {
        long sum = 0;
        switch (shared.kind) {
            case SlabAllocateBenchmark.SLAB, SlabAllocateBenchmark.SYSTEM -> {
                GlobalAllocator global = shared.global;
                for (int i = 0; i < BLOCKS; i++) {
                    b.addresses[i] = global.allocate(b.layouts[i]).address();
                }
                for (int i = 0; i < BLOCKS; i++) {
                    sum += b.addresses[i];
                    global.deallocate(MemorySegment.ofAddress(b.addresses[i]), b.layouts[i]);
                }
            }
            case SlabAllocateBenchmark.NATIVE -> {
                int anchor = shared.nativeAnchor;
                for (int i = 0; i < BLOCKS; i++) {
                    b.addresses[i] = NativeAnchor.malloc(anchor, b.sizes[i]);
                }
                for (int i = 0; i < BLOCKS; i++) {
                    sum += b.addresses[i];
                    NativeAnchor.free(anchor, b.addresses[i]);
                }
            }
            case SlabAllocateBenchmark.NETTY, SlabAllocateBenchmark.NETTY_CACHED -> {
                boolean cached = shared.kind == SlabAllocateBenchmark.NETTY_CACHED;
                for (int i = 0; i < BLOCKS; i++) {
                    b.buffers[i] = cached ? NettyAnchor.allocateCached(b.sizes[i]) : NettyAnchor.allocate(b.sizes[i]);
                }
                for (int i = 0; i < BLOCKS; i++) {
                    sum += b.buffers[i].capacity();
                    NettyAnchor.free(b.buffers[i]);
                    b.buffers[i] = null;
                }
            }
            default -> {
                try (Arena arena = Arena.ofConfined()) {
                    for (int i = 0; i < BLOCKS; i++) {
                        sum += arena.allocate(b.sizes[i], 8).address();
                    }
                }
            }
        }
        return sum;
    }
}
