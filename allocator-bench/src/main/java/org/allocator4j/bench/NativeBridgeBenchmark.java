package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;

import org.allocator4j.compare.strategy.NativeAnchor;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.nativebridge.CFunction;
import org.allocator4j.nativebridge.NativeBridge;
import org.allocator4j.slab.SlabAllocator;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@code malloc}/{@code free} pair called from C through function pointers: through a
 * {@link NativeBridge} over {@code system}, slab and tracking, against glibc's own {@code malloc} and
 * {@code free} called the same way (a downcall into the function pointer), in the same run. The extra
 * cost of the bridge is the upcall into Java, the pointer table and the allocator. {@code glibcCritical}
 * is the project's baseline: glibc from Java through a critical downcall ({@link NativeAnchor}), no C caller;
 * {@code upcallFloor} is the JVM's own cost, the same two calls into stubs of Java methods that do nothing.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="NativeBridgeBenchmark -prof gc -rf json -rff results/native-bridge.json"}
 *
 * <p>{@code pair}: one thread, one block at a time. {@code pairFourThreads}: four threads on the one
 * bridge (more threads than this machine's cores). {@code batch}: 1024 blocks live at once, then all freed,
 * so the pointer table holds many entries and the blocks are beyond the first cache line of each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeBridgeBenchmark {
    private static final int BATCH = 1024;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CALL_MALLOC = pointerCall(CFunction.MALLOC.descriptor());
    private static final MethodHandle CALL_FREE = pointerCall(CFunction.FREE.descriptor());

    @Param({"glibcCritical", "glibc", "upcallFloor", "system", "slab", "tracking"})
    public String target;

    @Param({"16", "1024"})
    public long size;

    private int anchor;
    private NativeBridge bridge;
    private SlabAllocator slab;
    private MemorySegment malloc;
    private MemorySegment free;
    private Arena floor;

    @Setup(Level.Trial)
    public void setUp() {
        anchor = NativeAnchor.of(target);
        switch (target) {
            case "glibcCritical" -> NativeAnchor.load(anchor);
            case "glibc" -> {
                malloc = LINKER.defaultLookup().find("malloc").orElseThrow();
                free = LINKER.defaultLookup().find("free").orElseThrow();
            }
            case "upcallFloor" -> {
                floor = Arena.ofShared();
                malloc = floorStub("floorMalloc", CFunction.MALLOC.descriptor(), floor);
                free = floorStub("floorFree", CFunction.FREE.descriptor(), floor);
            }
            default -> {
                GlobalAllocator allocator = switch (target) {
                    case "system" -> GlobalAllocator.system();
                    case "slab" -> slab = SlabAllocator.create();
                    case "tracking" -> Tracking.builder(GlobalAllocator.system()).jmx(false).build();
                    default -> throw new IllegalArgumentException("target=" + target
                            + ": expected glibcCritical, glibc, system, slab or tracking");
                };
                bridge = NativeBridge.open(allocator);
                malloc = bridge.pointer(CFunction.MALLOC);
                free = bridge.pointer(CFunction.FREE);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (bridge != null) {
            if (bridge.failures() != 0 || bridge.liveBlocks() != 0) {
                throw new IllegalStateException("the benchmark misused the bridge: " + bridge);
            }
            bridge.close();
        }
        if (slab != null) {
            slab.close();
        }
        if (floor != null) {
            floor.close();
        }
    }

    /** Each thread's blocks for {@link #batch}. */
    @State(Scope.Thread)
    public static class Blocks {
        final long[] addresses = new long[BATCH];
    }

    @Benchmark
    public long pair() throws Throwable {
        long p = malloc(size);
        free(p);
        return p;
    }

    @Benchmark
    @Threads(4)
    public long pairFourThreads() throws Throwable {
        long p = malloc(size);
        free(p);
        return p;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batch(Blocks blocks) throws Throwable {
        long[] addresses = blocks.addresses;
        for (int i = 0; i < BATCH; i++) {
            addresses[i] = malloc(size);
        }
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += addresses[i];
            free(addresses[i]);
        }
        return sum;
    }

    private long malloc(long bytes) throws Throwable {
        if (anchor == NativeAnchor.GLIBC_CRITICAL) {
            return NativeAnchor.malloc(anchor, bytes);
        }
        long p = (long) CALL_MALLOC.invokeExact(malloc, bytes);
        if (p == 0) {
            throw new IllegalStateException("malloc(" + bytes + ") returned NULL through " + target);
        }
        return p;
    }

    private void free(long p) throws Throwable {
        if (anchor == NativeAnchor.GLIBC_CRITICAL) {
            NativeAnchor.free(anchor, p);
        } else {
            CALL_FREE.invokeExact(free, p);
        }
    }

    /** The {@code upcallFloor}'s malloc: an upcall that does no work, returning a fake, never-read pointer. */
    private static long floorMalloc(long size) {
        return size | 1;
    }

    /** The {@code upcallFloor}'s free: an upcall that does no work. */
    private static void floorFree(long pointer) {
    }

    @SuppressWarnings("restricted")
    private static MemorySegment floorStub(String name, FunctionDescriptor descriptor, Arena arena) {
        try {
            MethodHandle target = MethodHandles.lookup().findStatic(NativeBridgeBenchmark.class, name,
                    descriptor.toMethodType());
            // SAFETY: the targets are the two trivial methods above, of exactly this descriptor's type, which
            // cannot throw; the stubs live until tearDown closes the arena, after the last call.
            return LINKER.upcallStub(target, descriptor, arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle pointerCall(FunctionDescriptor descriptor) {
        // SAFETY: called only with glibc's malloc/free or a bridge's MALLOC/FREE stubs, whose C shapes are
        // exactly these descriptors (CFunction's, size_t and pointers as longs). Not critical, for both
        // targets alike: a bridge stub calls back into Java, which a critical downcall must not do.
        return LINKER.downcallHandle(descriptor);
    }
}
