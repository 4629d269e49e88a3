package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.buffer.ByteBuf;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.strategy.NativeAnchor;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.infra.Control;

/**
 * Producer/consumer: one thread allocates blocks of {@code size} bytes and passes them, {@value #BATCH} at a
 * time, through a bounded single-producer single-consumer ring to another thread, which frees them. Every
 * free is a cross-thread free. Time per block on each side (the handoff is batched so that the ring's
 * cache-line traffic does not hide the allocator); the slower side is the throughput.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="SlabCrossThreadBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc -rf json -rff results/slab-cross.json"}
 *
 * <p>A side that finds the ring full (or empty) yields and retries, so on a loaded machine the numbers
 * include scheduling; compare ratios within one run only.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@OperationsPerInvocation(SlabCrossThreadBenchmark.BATCH)
public class SlabCrossThreadBenchmark {
    private static final int RING = 1024;
    static final int BATCH = 64;

    @Param({"slab", "system", "glibcCritical", "jemalloc", "mimalloc", "netty", "nettyCached"})
    public String allocator;

    @Param({"256"})
    public int size;

    private int kind;
    private int nativeAnchor;
    private GlobalAllocator global;
    private Layout layout;

    private final long[] addresses = new long[RING];
    private final ByteBuf[] buffers = new ByteBuf[RING];
    /** [HEAD]: next slot to consume, written by the consumer; [TAIL]: next slot to fill, by the producer. */
    private final AtomicLongArray indices = new AtomicLongArray(32);
    private static final int HEAD = 0;
    private static final int TAIL = 16; // 128 bytes away from HEAD: no false sharing

    @Setup(Level.Trial)
    public void setUp() {
        layout = Layout.of(size, 8);
        nativeAnchor = NativeAnchor.of(allocator);
        kind = switch (allocator) {
            case "slab" -> SlabAllocateBenchmark.SLAB;
            case "system" -> SlabAllocateBenchmark.SYSTEM;
            case "netty" -> SlabAllocateBenchmark.NETTY;
            case "nettyCached" -> SlabAllocateBenchmark.NETTY_CACHED;
            default -> SlabAllocateBenchmark.NATIVE;
        };
        global = kind == SlabAllocateBenchmark.SLAB ? SlabAllocator.create(SlabConfig.DEFAULT) : GlobalAllocator.system();
        if (kind == SlabAllocateBenchmark.NATIVE) {
            NativeAnchor.load(nativeAnchor);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (long i = indices.get(HEAD); i < indices.get(TAIL); i++) {
            free((int) (i & (RING - 1)));
        }
        if (global instanceof SlabAllocator slab) {
            slab.close();
        }
    }

    @Benchmark
    @Group("pc")
    @GroupThreads(1)
    public void produce(Control control) {
        long t = indices.get(TAIL);
        while (t + BATCH - indices.get(HEAD) > RING) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
        for (int i = 0; i < BATCH; i++) {
            int slot = (int) ((t + i) & (RING - 1));
            switch (kind) {
                case SlabAllocateBenchmark.SLAB, SlabAllocateBenchmark.SYSTEM ->
                        addresses[slot] = global.allocate(layout).address();
                case SlabAllocateBenchmark.NATIVE -> addresses[slot] = NativeAnchor.malloc(nativeAnchor, size);
                case SlabAllocateBenchmark.NETTY -> buffers[slot] = NettyAnchor.allocate(size);
                default -> buffers[slot] = NettyAnchor.allocateCached(size);
            }
        }
        indices.lazySet(TAIL, t + BATCH); // publishes the batch's slots to the consumer
    }

    @Benchmark
    @Group("pc")
    @GroupThreads(1)
    public void consume(Control control) {
        long h = indices.get(HEAD);
        while (indices.get(TAIL) - h < BATCH) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
        for (int i = 0; i < BATCH; i++) {
            free((int) ((h + i) & (RING - 1)));
        }
        indices.lazySet(HEAD, h + BATCH); // gives the slots back to the producer
    }

    private void free(int slot) {
        switch (kind) {
            case SlabAllocateBenchmark.SLAB, SlabAllocateBenchmark.SYSTEM ->
                    global.deallocate(MemorySegment.ofAddress(addresses[slot]), layout);
            case SlabAllocateBenchmark.NATIVE -> NativeAnchor.free(nativeAnchor, addresses[slot]);
            default -> { // netty, nettyCached
                NettyAnchor.free(buffers[slot]);
                buffers[slot] = null;
            }
        }
    }
}
