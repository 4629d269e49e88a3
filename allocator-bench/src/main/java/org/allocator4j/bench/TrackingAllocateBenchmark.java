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
 * One allocate+deallocate pair through a tracking allocator over {@code system}, against {@code system}
 * alone (the anchor) in the same run; one allocator shared by all benchmark threads, so run it with
 * {@code -t 1} and {@code -t 2} to see whether the counters contend.
 *
 * <p>{@code mvn -q -DskipTests package exec:exec@jmh -pl allocator-bench -am
 * -Djmh.args="TrackingAllocateBenchmark -p mode=system,stats,sampled,checked -t 2 -f 2 -wi 3 -i 3 -w 1s -r 1s
 * -prof gc -rf json -rff tracking-t2.json"}
 *
 * <p>Modes: {@code system} (no tracking), {@code stats} (statistics only: sampling off),
 * {@code sampled} (statistics and the default 1-in-4096 site sampling), {@code checked} (checked mode:
 * red zones, a site per allocation and free, quarantine, one lock).
 *
 * <p>The other modes are the floor under any statistics decorator: they build its cost up one step at a
 * time, each adding one thing to the previous ({@code -p mode=system,forward,counter,rowLookup,rowCounter,stats
 * -p size=64}):
 * <ul>
 *   <li>{@code forward}: a decorator that only forwards both calls;</li>
 *   <li>{@code counter}: forwards, then adds the size to one plain field per call: the cheapest count there
 *       is, and not even thread-safe (concurrent updates would be lost), so a lower bound;</li>
 *   <li>{@code rowLookup}: forwards, then finds the calling thread's row as the tracking allocator does
 *       (a hot row in a field, else a table direct-mapped by thread id; owner checked) without writing to
 *       it: the price of thread safety without atomics;</li>
 *   <li>{@code rowCounter}: and adds the size to one counter of that row per call: exact, thread-safe
 *       counting of one number, the least a statistics decorator does.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrackingAllocateBenchmark {
    @Param({"system", "stats", "sampled", "checked", "forward", "counter", "rowLookup", "rowCounter"})
    public String mode;

    @Param({"64", "1024"})
    public long size;

    private GlobalAllocator allocator;
    private Layout layout;

    @Setup(Level.Trial)
    public void setUp() {
        GlobalAllocator system = GlobalAllocator.system();
        allocator = switch (mode) {
            case "system" -> system;
            case "stats" -> Tracking.builder(system).sampleEvery(0).jmx(false).build();
            case "sampled" -> Tracking.builder(system).sampleEvery(Tracking.DEFAULT_SAMPLE_EVERY).jmx(false).build();
            case "checked" -> Tracking.builder(system).checked(true).jmx(false).build();
            case "forward" -> new Forward(system);
            case "counter" -> new Counter(system);
            case "rowLookup" -> new RowLookup(system, false);
            case "rowCounter" -> new RowLookup(system, true);
            default -> throw new IllegalArgumentException("mode=" + mode + "; expected system, stats, sampled, "
                    + "checked, forward, counter, rowLookup or rowCounter");
        };
        layout = Layout.of(size, 8);
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
     * decorator can do. Its rows are not padded: measure it with one thread.
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
