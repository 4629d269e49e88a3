package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.allocator4j.api.Layout;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck over {@code allocate}/{@code deallocate} of a small slab allocator, against a sequential
 * specification in which every operation succeeds: an allocation returns a block no live block overlaps
 * (its claim tag was not {@code LIVE} and its stamp reads back, see {@link Blocks}), and freeing the
 * oldest live block, whichever thread allocated it, succeeds. Frees are cross-thread by construction:
 * the live blocks sit in one queue every thread pops from.
 *
 * <p>The specification is trivial (every operation returns true), so what Lincheck checks here is that no
 * operation, in any interleaving it tries, returns false or throws. The model checker switches threads at
 * Java shared-memory accesses (the allocator's fields, atomics and locks), not at the native memory the
 * free lists and tags live in; JCStress's tests in this module cover those.
 *
 * <p>Outside the default run: the module's surefire excludes this class unless the profile {@code lincheck} is on.
 */
public class SlabLincheckTest {
    /** Tiny caches, so that flushes, the depot and refills take part within a few operations. */
    static final SlabConfig CONFIG = new SlabConfig("system", 4096, 0, 2, 1);
    static final Layout LAYOUT = Layout.of(64, 8);
    private static final long MARK = 0x4C49_4E43_4845_434BL;

    /**
     * One allocator per invocation, closed by {@link #freeLeftovers()}. Not a static one: Lincheck's model
     * checker restores state reachable from static fields between invocations (JetBrains/lincheck PR 418;
     * it does not track System.arraycopy), which would put blocks back into a shared
     * allocator's depot and caches while their native tags (not restored) still say live.
     */
    private final SlabAllocator slab = SlabAllocator.create(CONFIG);
    private final ConcurrentLinkedQueue<MemorySegment> live = new ConcurrentLinkedQueue<>();

    /**
     * {@return whether the new block was free and its stamp reads back}: the claim fails if another holder
     * has the block; the read-back catches a write into it (say, a free-list link) since the stamp
     */
    @Operation
    public boolean allocate() {
        MemorySegment block = Blocks.take(slab, LAYOUT, MARK);
        if (block == null) {
            return false;
        }
        boolean ok = Blocks.intact(block, MARK);
        live.add(block);
        return ok;
    }

    /** {@return whether the oldest live block (if any) was intact when freed} */
    @Operation
    public boolean free() {
        MemorySegment block = live.poll();
        return block == null || Blocks.give(slab, block, LAYOUT, MARK);
    }

    /** Frees what the scenario left live and closes the allocator, so memory stays bounded. */
    @Validate
    public void freeLeftovers() {
        try {
            MemorySegment block;
            while ((block = live.poll()) != null) {
                if (!Blocks.give(slab, block, LAYOUT, MARK)) {
                    throw new IllegalStateException("block address=0x" + Long.toHexString(block.address())
                            + " was overwritten while live");
                }
            }
        } finally {
            slab.close();
        }
    }

    @Test
    void allocateFree_stress_neverHandsOutALiveBlockNorWritesOne() {
        new StressOptions().threads(2).actorsPerThread(4).iterations(50).invocationsPerIteration(2_000)
                .sequentialSpecification(Sequential.class).check(SlabLincheckTest.class);
    }

    @Test
    void allocateFree_modelChecking_neverHandsOutALiveBlockNorWritesOne() {
        new ModelCheckingOptions().threads(2).actorsPerThread(3).iterations(20).invocationsPerIteration(500)
                .sequentialSpecification(Sequential.class).check(SlabLincheckTest.class);
    }

    /** The sequential specification: every allocation gets a free, intact block; every free succeeds. */
    public static final class Sequential {
        public boolean allocate() {
            return true;
        }

        public boolean free() {
            return true;
        }
    }
}
