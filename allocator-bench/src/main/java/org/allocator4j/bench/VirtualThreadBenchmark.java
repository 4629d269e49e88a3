package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.allocator4j.compare.strategy.NativeAnchor;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
import org.allocator4j.tracking.Tracking;
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
 * Short tasks that each allocate and free {@value #BLOCKS} blocks of 64 bytes, run {@value #TASKS} at a
 * time on a new virtual thread each, or on a fixed pool of platform threads (one per processor): the
 * allocators' throughput where a task is a thread, beside the classic pool, with {@code system} and
 * jemalloc in the same run.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="VirtualThreadBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff results/virtual-threads.json"}
 *
 * <p>{@code threads}: {@code virtual} (a virtual-thread-per-task executor, opened and closed per
 * invocation, so every task is a thread that starts and ends) or {@code platform} (a fixed pool, made once).
 * {@code allocator}: {@code slab}, {@code trackingSlab} (the tracking decorator over slab), {@code system}
 * (libc, critical downcall), {@code jemalloc} (FFM, critical; needs the {@code GLIBC_TUNABLES} the
 * {@code exec@jmh} execution sets). The score is the time per task, thread start and end included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class VirtualThreadBenchmark {
    static final int TASKS = 1000;
    static final int BLOCKS = 4;
    private static final Layout LAYOUT = Layout.of(64, 8);

    @Param({"virtual", "platform"})
    public String threads;

    @Param({"slab", "trackingSlab", "system", "jemalloc"})
    public String allocator;

    private GlobalAllocator global;
    private SlabAllocator slab;
    private boolean jemalloc;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        jemalloc = allocator.equals("jemalloc");
        switch (allocator) {
            case "slab" -> global = slab = SlabAllocator.create(SlabConfig.DEFAULT);
            case "trackingSlab" -> global = Tracking.wrap(slab = SlabAllocator.create(SlabConfig.DEFAULT));
            case "system" -> global = GlobalAllocator.system();
            case "jemalloc" -> NativeAnchor.load(NativeAnchor.JEMALLOC);
            default -> throw new IllegalArgumentException("allocator=" + allocator
                    + "; expected slab, trackingSlab, system or jemalloc");
        }
        if (threads.equals("platform")) {
            pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        } else if (!threads.equals("virtual")) {
            throw new IllegalArgumentException("threads=" + threads + "; expected virtual or platform");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (slab != null) {
            slab.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public void tasks() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(TASKS);
        Runnable task = () -> {
            work();
            done.countDown();
        };
        if (pool == null) {
            try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < TASKS; t++) {
                    perTask.execute(task);
                }
            }
        } else {
            for (int t = 0; t < TASKS; t++) {
                pool.execute(task);
            }
        }
        done.await();
    }

    private void work() {
        if (jemalloc) {
            long[] blocks = new long[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                blocks[i] = NativeAnchor.malloc(NativeAnchor.JEMALLOC, LAYOUT.size());
            }
            for (long block : blocks) {
                NativeAnchor.free(NativeAnchor.JEMALLOC, block);
            }
            return;
        }
        MemorySegment[] blocks = new MemorySegment[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = global.allocate(LAYOUT);
            blocks[i].set(ValueLayout.JAVA_LONG, 16, i);
        }
        for (MemorySegment block : blocks) {
            global.deallocate(block, LAYOUT);
        }
    }
}
