package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
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
 * The cost of the slab's checked frees: one allocate+free pair, 1 thread, with the check on and off (the
 * default), and {@code system} as the anchor, in the same run.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="SlabCheckedFreeBenchmark -f 2 -wi 3 -i 5 -w 1s -r 1s -prof gc -rf json -rff results/slab-checked-free.json"}
 *
 * <p>{@code allocator}: {@code slab} ({@code checkFrees = true}: the slab lookup, the start-of-block test and the free
 * mark on every free, the mark cleared on every allocation), {@code slabUnchecked}
 * ({@code SlabConfig.checkFrees = false}), {@code system} (libc through a critical downcall; nothing to
 * check with). The difference slab minus slabUnchecked is the cost of the check per pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SlabCheckedFreeBenchmark {
    @Param({"slab", "slabUnchecked", "system"})
    public String allocator;

    @Param({"16", "64", "256", "4096"})
    public int size;

    private GlobalAllocator global;
    private Layout layout;

    @Setup(Level.Trial)
    public void setUp() {
        layout = Layout.of(size, 8);
        global = switch (allocator) {
            case "slab" -> SlabAllocator.create(SlabConfig.DEFAULT.withCheckFrees(true));
            case "slabUnchecked" -> SlabAllocator.create(SlabConfig.DEFAULT.withCheckFrees(false));
            case "system" -> GlobalAllocator.system();
            default -> throw new IllegalArgumentException("allocator=" + allocator
                    + "; expected slab, slabUnchecked or system");
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (global instanceof SlabAllocator slab) {
            slab.close();
        }
    }

    @Benchmark
    public long pair() {
        MemorySegment block = global.allocate(layout);
        long address = block.address();
        global.deallocate(block, layout);
        return address;
    }
}
