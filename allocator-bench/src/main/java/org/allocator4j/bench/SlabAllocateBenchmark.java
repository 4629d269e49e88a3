package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One allocate+free pair, 1 thread: the slab allocator beside its anchors in the same run.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="SlabAllocateBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff results/slab-pair.json"}
 *
 * <p>Anchors ({@code allocator}): {@code slab}; {@code system} (this project's libc allocator);
 * {@code glibc} and {@code glibcCritical} (malloc/free through FFM, plain and with
 * {@code Linker.Option.critical}); {@code jemalloc}, {@code mimalloc} (FFM, critical); {@code netty}
 * and {@code nettyCached} (pooled direct buffers, see {@link NettyAnchor}); {@code arena} (a JDK {@code Arena.ofConfined()} opened, allocated from and
 * closed). The block's address is returned, the segment does not escape: {@code -prof gc} shows whether
 * the fast path allocates on the heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SlabAllocateBenchmark {
    static final int SLAB = 0;
    static final int SYSTEM = 1;
    static final int NATIVE = 2;
    static final int NETTY = 3;
    static final int ARENA = 4;
    static final int NETTY_CACHED = 5;

    @Param({"slab", "system", "glibc", "glibcCritical", "jemalloc", "mimalloc", "netty", "nettyCached", "arena"})
    public String allocator;

    @Param({"16", "64", "256", "4096"})
    public int size;

    private int kind;
    private int nativeAnchor;
    private GlobalAllocator global;
    private Layout layout;

    @Setup(Level.Trial)
    public void setUp() {
        layout = Layout.of(size, 8);
        nativeAnchor = NativeAnchor.of(allocator);
        kind = switch (allocator) {
            case "slab" -> SLAB;
            case "system" -> SYSTEM;
            case "netty" -> NETTY;
            case "nettyCached" -> NETTY_CACHED;
            case "arena" -> ARENA;
            default -> NATIVE;
        };
        global = kind == SLAB ? SlabAllocator.create(SlabConfig.DEFAULT) : GlobalAllocator.system();
        if (kind == NATIVE) {
            NativeAnchor.load(nativeAnchor);
        }
        if (kind == NETTY || kind == NETTY_CACHED) {
            System.out.println(NettyAnchor.describe());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (global instanceof SlabAllocator slab) {
            slab.close();
        }
    }

    @Benchmark
    public long pair() {
        switch (kind) {
            case SLAB, SYSTEM -> {
                MemorySegment block = global.allocate(layout);
                long address = block.address();
                global.deallocate(block, layout);
                return address;
            }
            case NATIVE -> {
                long address = NativeAnchor.malloc(nativeAnchor, size);
                NativeAnchor.free(nativeAnchor, address);
                return address;
            }
            case NETTY, NETTY_CACHED -> {
                ByteBuf buffer = kind == NETTY ? NettyAnchor.allocate(size) : NettyAnchor.allocateCached(size);
                int capacity = buffer.capacity();
                NettyAnchor.free(buffer);
                return capacity;
            }
            default -> {
                try (Arena arena = Arena.ofConfined()) {
                    return arena.allocate(size, 8).address();
                }
            }
        }
    }
}
