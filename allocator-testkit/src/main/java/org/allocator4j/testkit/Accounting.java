package org.allocator4j.testkit;

import java.util.Arrays;

import org.allocator4j.api.GlobalAllocator;

/**
 * Exact accounting of what an allocator takes from its source. An allocator over a parent gets a
 * {@linkplain FailingParent#counting() counting parent}: the same {@link LightWorkload} phase runs again
 * and again, and after each the parent may hold no more than after the second one (a plateau, with the
 * slack of {@link #slack}), and after {@code close} nothing. An allocator that takes no parent is watched
 * through the native memory of the process ({@link MallocStatistics}): it must plateau as well.
 */
final class Accounting {
    private static final long SEED = 0xACC0_0417L;
    /** The allocations of the one phase for an allocator that keeps its blocks until close. */
    static final int KEPT_ALLOCATIONS = 16_384;
    /**
     * Growth of the process's native memory tolerated across the measured phases. JVM threads malloc too
     * (the JIT's arenas come and go by megabytes), so each end is the smaller of two phases' readings.
     */
    static final long NATIVE_SLACK = 8L << 20;

    private Accounting() {
    }

    /** {@return the growth of the parent's held bytes tolerated after the plateau of {@code plateau} bytes} */
    static long slack(long plateau) {
        return (64L << 10) + plateau / 32;
    }

    static void overCountingParent(AllocatorContract contract, TestLevel level) throws Exception {
        FailingParent parent = FailingParent.counting();
        Capabilities capabilities = contract.capabilities();
        GlobalAllocator allocator = contract.newAllocator(parent);
        Heap heap = new Heap(allocator);
        heap.journal().record("new allocator over a counting parent");
        try {
            // An allocator that does not free each block keeps what a phase allocated until close: one short
            // phase, then close must give everything back.
            boolean frees = capabilities.freeing() == Freeing.INDIVIDUALLY;
            long[] held = new long[frees ? level.accountingPhases : 1];
            int allocations = frees ? level.accountingAllocations : KEPT_ALLOCATIONS;
            for (int phase = 0; phase < held.length; phase++) {
                LightWorkload.phase(allocator, heap.journal(), capabilities, SEED, allocations);
                held[phase] = parent.heldBytes();
                heap.journal().record("after phase " + phase + " (every block freed) the parent holds " + held[phase]
                        + " bytes");
                if (!parent.misuse().isEmpty()) {
                    throw heap.journal().violation(Rule.ACCOUNTING, "the allocator misused its parent: "
                            + parent.misuse());
                }
                // From the third run on, the parent may hold no more than after the second (the plateau).
                if (capabilities.freeing() == Freeing.INDIVIDUALLY && phase >= 2
                        && held[phase] > held[1] + slack(held[1])) {
                    throw heap.journal().violation(Rule.ACCOUNTING, "the same workload, run " + (phase + 1)
                            + " times with every block freed after each, left the parent holding "
                            + Arrays.toString(Arrays.copyOf(held, phase + 1)) + " bytes: it grew by "
                            + (held[phase] - held[1]) + " bytes after the second run; expected at most "
                            + slack(held[1]) + " (a leak of about " + (held[phase] - held[1]) / (phase - 1)
                            + " bytes per run)");
                }
            }
            heap.journal().record("close(allocator)");
            contract.close(allocator);
            if (parent.heldBytes() != 0 || !parent.live().isEmpty()) {
                throw heap.journal().violation(Rule.ACCOUNTING, "after every block was freed and the allocator "
                        + "closed, the parent still holds " + parent.heldBytes() + " bytes in " + parent.live().size()
                        + " blocks; expected 0");
            }
        } finally {
            parent.releaseLeaks();
        }
    }

    static void nativeMemory(AllocatorContract contract, TestLevel level) throws Exception {
        Capabilities capabilities = contract.capabilities();
        Checks.onFresh(contract, heap -> {
            heap.journal().record(level.accountingPhases + " phases of " + level.nativeAllocations
                    + " allocations, native memory (malloc in use + direct) measured after each");
            long[] inUse = new long[level.accountingPhases];
            for (int phase = 0; phase < inUse.length; phase++) {
                LightWorkload.phase(heap.allocator(), heap.journal(), capabilities, SEED, level.nativeAllocations);
                inUse[phase] = MallocStatistics.bytesInUse();
            }
            // Phase 0 warms up the allocator, the JIT and malloc's own caches; the minimum of two readings
            // filters the JVM's own passing peaks.
            long plateau = Math.min(inUse[1], inUse[2]);
            long last = Math.min(inUse[inUse.length - 2], inUse[inUse.length - 1]);
            if (last - plateau > NATIVE_SLACK) {
                throw heap.journal().violation(Rule.ACCOUNTING, "the same workload, run " + inUse.length
                        + " times with every block freed after each, left the process's native memory at "
                        + Arrays.toString(inUse) + " bytes: it grew by " + (last - plateau)
                        + " bytes after the warm-up; expected at most " + NATIVE_SLACK);
            }
        });
    }
}
