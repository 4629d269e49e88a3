package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;
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
 * The floor under any statistics decorator: what the parts of counting cost on one allocate+deallocate
 * pair over {@code system}, measured against {@code system} alone in the same run.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="TrackingFloorBenchmark -f 2 -wi 3 -i 3 -w 1s -r 1s -prof gc -rf json -rff tracking-floor.json"}
 *
 * <p>Modes, each adding one thing to the previous:
 * <ul>
 *   <li>{@code system}: the anchor;</li>
 *   <li>{@code forward}: a decorator that only forwards both calls;</li>
 *   <li>{@code counter}: forwards, then adds the size to one plain field per call: the cheapest count there
 *       is, and not even thread-safe (concurrent updates would be lost), so a lower bound;</li>
 *   <li>{@code rowLookup}: forwards, then finds the calling thread's row as the tracking allocator does
 *       (a hot row in a field, else a table direct-mapped by thread id; owner checked) without writing to
 *       it: the price of thread safety without atomics;</li>
 *   <li>{@code rowCounter}: and adds the size to one counter of that row per call: exact, thread-safe counting
 *       of one number, the least a statistics decorator does;</li>
 *   <li>{@code stats}: the tracking allocator with sampling off (counts, bytes, histogram, peak).</li>
 * </ul>
 * A decorator that keeps exact counts for any number of threads pays at least {@code rowCounter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrackingFloorBenchmark {
    @Param({"system", "forward", "counter", "rowLookup", "rowCounter", "stats"})
    public String mode;

    private GlobalAllocator allocator;
    private final Layout layout = Layout.of(64, 8);

    @Setup(Level.Trial)
    public void setUp() {
        GlobalAllocator system = GlobalAllocator.system();
        allocator = switch (mode) {
            case "system" -> system;
            case "forward" -> new Forward(system);
            case "counter" -> new Counter(system);
            case "rowLookup" -> new RowLookup(system, false);
            case "rowCounter" -> new RowLookup(system, true);
            case "stats" -> Tracking.builder(system).sampleEvery(0).jmx(false).build();
            default -> throw new IllegalArgumentException("mode=" + mode
                    + "; expected system, forward, counter, rowLookup, rowCounter or stats");
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (allocator instanceof TrackingAllocator tracking) {
            tracking.close();
        }
    }

    @Benchmark
    public long allocateDeallocate() {
        MemorySegment block = allocator.allocate(layout);
        long address = block.address();
        allocator.deallocate(block, layout);
        return address;
    }

    /** Forwards both calls and does nothing else. */
    static class Forward implements GlobalAllocator {
        final GlobalAllocator inner;

        Forward(GlobalAllocator inner) {
            this.inner = inner;
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            return inner.allocate(layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            inner.deallocate(block, layout);
        }

        @Override
        public String name() {
            return "forward";
        }
    }

    /** Forwards, then adds each size to one plain field: one load and store per call, no thread safety. */
    static final class Counter extends Forward {
        private long allocated;
        private long freed;

        Counter(GlobalAllocator inner) {
            super(inner);
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            MemorySegment block = inner.allocate(layout);
            allocated += layout.size();
            return block;
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            inner.deallocate(block, layout);
            freed += layout.size();
        }
    }

    /**
     * Forwards, then finds the calling thread's row as the tracking allocator does (a hot row held in a
     * field, then a table direct-mapped by thread id; owner checked either way) and,
     * if {@code count}, adds the size to one counter of it: exact and thread-safe, the least a counting
     * decorator can do.
     */
    static final class RowLookup extends Forward {
        private final long[][] rows = new long[128][];
        private long[] hot = new long[3]; // the first thread's row; owner 0 = nobody's
        private final boolean count;

        RowLookup(GlobalAllocator inner, boolean count) {
            super(inner);
            this.count = count;
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            MemorySegment block = inner.allocate(layout);
            long[] row = row();
            if (count) {
                row[1] += layout.size();
            }
            return block;
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            inner.deallocate(block, layout);
            long[] row = row();
            if (count) {
                row[2] += layout.size();
            }
        }

        private long[] row() {
            long id = Thread.currentThread().threadId();
            long[] row = hot;
            if (row[0] == id) {
                return row;
            }
            row = rows[(int) id & (rows.length - 1)];
            if (row != null && row[0] == id) {
                return row;
            }
            return register(id);
        }

        private synchronized long[] register(long id) {
            long[] row = new long[3];
            row[0] = id;
            if (hot[0] == 0) {
                hot = row;
            } else {
                rows[(int) id & (rows.length - 1)] = row;
            }
            return row;
        }
    }
}
