package org.allocator4j.compare.input;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;


/**
 * Built-in traces, generated from a seed, after workloads of mimalloc-bench. Named on the command line as
 * {@code synthetic:NAME} (e.g. {@code compare synthetic:larson}).
 */
public enum SyntheticWorkload {
    /**
     * glibc's {@code bench-malloc-simple} as in mimalloc-bench: for each size of 16..512 bytes, rounds of
     * allocating a batch of equal blocks and freeing all of them in order. Few live bytes, high churn.
     */
    GLIBC_SIMPLE("glibc-simple") {
        @Override
        void generate(Trace.Builder trace, SplittableRandom random, int scale) {
            long id = 0;
            int[] batches = {25, 100, 400, 1600};
            for (int round = 0; round < 4 * scale; round++) {
                for (long size = 16; size <= 512; size <<= 1) {
                    int batch = batches[round % batches.length];
                    long first = id;
                    for (int i = 0; i < batch; i++) {
                        trace.alloc(id++, size, 16);
                    }
                    for (long i = first; i < id; i++) {
                        trace.free(i);
                    }
                }
            }
        }
    },
    /**
     * Larson's server simulation as in mimalloc-bench ({@code larson 5 8 1000 5000 ...}), on one thread:
     * 5000 slots filled with blocks of 8..1000 bytes, then again and again a random slot is freed and
     * refilled with a block of a new random size. Steady live bytes, random sizes, random order.
     */
    LARSON("larson") {
        @Override
        void generate(Trace.Builder trace, SplittableRandom random, int scale) {
            int slots = 5000;
            long[] slot = new long[slots];
            long id = 0;
            for (int i = 0; i < slots; i++) {
                slot[i] = id;
                trace.alloc(id++, random.nextLong(8, 1001), 16);
            }
            for (int i = 0; i < 50_000 * scale; i++) {
                int victim = random.nextInt(slots);
                trace.free(slot[victim]);
                slot[victim] = id;
                trace.alloc(id++, random.nextLong(8, 1001), 16);
            }
            for (long block : slot) {
                trace.free(block);
            }
        }
    },
    /**
     * A fragmentation-heavy pattern: each round allocates many small blocks and frees every other one
     * (holes too small for what comes next), then allocates medium and large blocks and grows a buffer by
     * reallocation (x1.5 per step, as a vector does), and frees only part of the older generations. An
     * allocator that cannot reuse or return the holes holds far more than is live.
     */
    FRAGMENTATION("fragmentation") {
        @Override
        void generate(Trace.Builder trace, SplittableRandom random, int scale) {
            long id = 0;
            long[] kept = new long[0];
            for (int round = 0; round < 8 * scale; round++) {
                int small = 4000;
                long first = id;
                for (int i = 0; i < small; i++) {
                    trace.alloc(id++, random.nextLong(16, 65), 16);
                }
                for (long i = first; i < id; i += 2) {
                    trace.free(i);
                }
                long medium = id;
                for (int i = 0; i < 600; i++) {
                    trace.alloc(id++, random.nextLong(256, 1025), 16);
                }
                for (int i = 0; i < 20; i++) {
                    trace.alloc(id++, random.nextLong(4096, 65_537), 64);
                }
                long buffer = id++;
                long size = 64;
                trace.alloc(buffer, size, 16);
                while (size < 512 * 1024) {
                    size += size / 2;
                    trace.realloc(buffer, size);
                }
                trace.free(buffer);
                // The older generation's survivors go; this round's odd small blocks and a third of the
                // medium and large ones survive into the next round.
                for (long k : kept) {
                    trace.free(k);
                }
                long[] next = new long[small / 2 + (int) (buffer - medium)];
                int n = 0;
                for (long i = first + 1; i < medium; i += 2) {
                    next[n++] = i;
                }
                for (long i = medium; i < buffer; i++) {
                    if (random.nextInt(3) == 0) {
                        next[n++] = i;
                    } else {
                        trace.free(i);
                    }
                }
                kept = Arrays.copyOf(next, n);
            }
            for (long k : kept) {
                trace.free(k);
            }
        }
    };

    /** The prefix that names a synthetic workload where a trace file is expected. */
    public static final String PREFIX = "synthetic:";

    private final String workloadName;

    SyntheticWorkload(String workloadName) {
        this.workloadName = workloadName;
    }

    /** {@return the workload's name on the command line, e.g. {@code "larson"}} */
    public String workloadName() {
        return workloadName;
    }

    /**
     * {@return the workload called {@code name}}
     *
     * @throws IllegalArgumentException if there is none; the message lists the names there are
     */
    public static SyntheticWorkload named(String name) {
        for (SyntheticWorkload w : values()) {
            if (w.workloadName.equals(name.toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("synthetic workload name=" + name + " is unknown; expected one of "
                + Arrays.stream(values()).map(w -> w.workloadName).collect(Collectors.joining(", ")));
    }

    /**
     * {@return this workload's trace}
     *
     * @param seed  the seed of its random choices; the same seed gives the same trace
     * @param scale how many times the base length to generate, {@code >= 1}
     * @throws IllegalArgumentException if {@code scale < 1}
     */
    public Trace trace(long seed, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale=" + scale + " is below 1");
        }
        Trace.Builder trace = Trace.builder(PREFIX + workloadName);
        generate(trace, new SplittableRandom(seed), scale);
        return trace.build();
    }

    abstract void generate(Trace.Builder trace, SplittableRandom random, int scale);
}
