package org.allocator4j.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * A long, repeatable workload of small blocks in hot size classes through every path: allocate,
 * allocateZeroed, reallocate (grow, shrink, to size 0, and failing), a failing allocate, and deallocate.
 * It runs in batches of {@value #BATCH} blocks, each batch freed before the next (in random order for
 * {@link Freeing#INDIVIDUALLY}, newest first otherwise, so that {@link Freeing#LAST_ONLY} frees too), so a
 * correct allocator's footprint returns to the same steady state after each phase: what the accounting
 * checks compare, and what a single long run on one instance exercises.
 */
final class SteadyWorkload {
    /** Blocks allocated, then freed, per batch. */
    static final int BATCH = 64;
    /** The hot size classes. */
    private static final long[] SIZES = {8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1000, 1024, 2048, 4096};
    /** Blocks the long run keeps live from its start to its end. */
    static final int LONG_LIVED = 256;
    /** Beyond every allocator: the failing paths. */
    private static final long IMPOSSIBLE = 1L << 56;

    private SteadyWorkload() {
    }

    /**
     * Runs {@code allocations} allocations (rounded up to whole batches) on the heap, leaving no block of
     * it live.
     *
     * @param seed the same seed gives the same operations
     */
    static void phase(Heap heap, Capabilities capabilities, long seed, int allocations) {
        Random random = new Random(seed);
        boolean lifo = capabilities.freeing() != Freeing.INDIVIDUALLY;
        long maxAlignment = Math.min(64, capabilities.maxAlignment());
        for (int done = 0; done < allocations; done += BATCH) {
            List<Block> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                Layout layout = Layout.of(Math.min(SIZES[random.nextInt(SIZES.length)], capabilities.maxSize()),
                        Math.min(1L << random.nextInt(7), maxAlignment));
                batch.add(random.nextInt(8) == 0 ? heap.allocateZeroed(layout) : heap.allocate(layout));
                if (random.nextInt(16) == 0) {
                    int index = lifo ? batch.size() - 1 : random.nextInt(batch.size());
                    batch.set(index, reallocate(heap, batch.get(index), random, capabilities));
                }
                if (random.nextInt(64) == 0) {
                    failingAllocate(heap, Layout.of(IMPOSSIBLE, layout.alignment()));
                }
            }
            if (lifo) {
                Collections.reverse(batch);
            } else {
                Collections.shuffle(batch, random);
            }
            for (Block block : batch) {
                heap.free(block);
            }
        }
    }

    /**
     * The long run on one instance: 256 blocks allocated first stay live (and are verified) while the
     * level's allocations run through every path, so that a recycled handle or a wrapped counter shows.
     */
    static void longRun(Heap heap, Capabilities capabilities, TestLevel level) {
        List<Block> old = new ArrayList<>();
        for (int i = 0; i < LONG_LIVED; i++) {
            old.add(heap.allocate(Layout.of(Math.min(SIZES[i % SIZES.length], capabilities.maxSize()), 8)));
        }
        heap.journal().record(LONG_LIVED + " long-lived blocks allocated; the long run begins");
        phase(heap, capabilities, 0x10_6E_2A_17L, level.longRunAllocations);
        heap.verifyAll("after the long run of " + level.longRunAllocations + " allocations");
        for (int i = old.size() - 1; i >= 0; i--) {
            heap.free(old.get(i));
        }
    }

    /** Grows, shrinks, reallocates to 0 or fails to reallocate a block; {@return the block it became} */
    private static Block reallocate(Heap heap, Block block, Random random, Capabilities capabilities) {
        long size = block.layout().size();
        long newSize = switch (random.nextInt(4)) {
            case 0 -> Math.min(size * 2 + 8, capabilities.maxSize());
            case 1 -> size / 2;
            case 2 -> 0;
            default -> IMPOSSIBLE;
        };
        if (newSize != IMPOSSIBLE) {
            return heap.reallocate(block, newSize);
        }
        try {
            Block moved = heap.reallocate(block, newSize);
            throw heap.journal().violation(Rule.FAILURE_EXCEPTION, "reallocate of " + block + " to newSize="
                    + newSize + " returned " + moved + "; expected AllocationException");
        } catch (AllocationException expected) {
            return block; // Heap.reallocate verified that it is live and intact
        }
    }

    private static void failingAllocate(Heap heap, Layout impossible) {
        try {
            Block block = heap.allocate(impossible);
            throw heap.journal().violation(Rule.FAILURE_EXCEPTION, "allocate(" + impossible + ") returned "
                    + block + "; expected AllocationException");
        } catch (AllocationException expected) {
            heap.journal().record("allocate(" + impossible + ") threw " + expected.getClass().getSimpleName());
        }
    }
}
