package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The accounting checks' workload: {@link SteadyWorkload}'s operations and paths, straight on the
 * allocator with no per-operation checks, so that a phase moves enough blocks (hundreds of thousands) for
 * a leak of one small block in 32 frees to stand far above the noise of the process's own native memory.
 * Every block is freed by the end of a phase.
 */
final class LightWorkload {
    private static final long[] SIZES = {8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1000, 1024, 2048, 4096};
    private static final long IMPOSSIBLE = 1L << 56;
    /** The blocks of one layout a burst allocates, then frees. */
    private static final int BURST = 512;

    private LightWorkload() {
    }

    /**
     * Runs {@code allocations} allocations in batches of {@value SteadyWorkload#BATCH} mixed layouts, every
     * fourth a burst of {@value #BURST} blocks of one layout.
     *
     * @throws ContractViolation if a failing path does not fail with {@link AllocationException}
     */
    static void phase(GlobalAllocator allocator, Journal journal, Capabilities capabilities, long seed,
                      int allocations) {
        Random random = new Random(seed);
        boolean lifo = capabilities.freeing() != Freeing.INDIVIDUALLY;
        long maxAlignment = Math.min(64, capabilities.maxAlignment());
        MemorySegment[] blocks = new MemorySegment[BURST];
        Layout[] layouts = new Layout[BURST];
        for (int done = 0, batch = 0; done < allocations; batch++) {
            // Every fourth batch is a burst of one layout: enough frees of one size class to fill any cache.
            int count = batch % 4 == 3 ? BURST : SteadyWorkload.BATCH;
            Layout burst = batch % 4 == 3 ? layout(random, capabilities, maxAlignment) : null;
            for (int i = 0; i < count; i++) {
                Layout layout = burst != null ? burst : layout(random, capabilities, maxAlignment);
                layouts[i] = layout;
                blocks[i] = nativeBlock(journal, layout,
                        random.nextInt(8) == 0 ? allocator.allocateZeroed(layout) : allocator.allocate(layout));
                if (random.nextInt(16) == 0) {
                    int index = lifo ? i : random.nextInt(i + 1);
                    reallocate(allocator, journal, blocks, layouts, index, random.nextInt(4), capabilities);
                }
                if (random.nextInt(64) == 0) {
                    Layout impossible = Layout.of(IMPOSSIBLE, layout.alignment());
                    try {
                        MemorySegment block = allocator.allocate(impossible);
                        throw journal.violation(Rule.FAILURE_EXCEPTION, "allocate(" + impossible + ") returned 0x"
                                + Long.toHexString(block.address()) + "; expected AllocationException");
                    } catch (AllocationException expected) {
                        // the failing path
                    }
                }
            }
            for (int k = 0; k < count; k++) {
                int i = lifo ? count - 1 - k : (k * 37 + batch) % count; // 37 is coprime to both batch sizes
                // Handed back as the checks do: the segment returned, a slice, or re-derived from the address.
                allocator.deallocate(Heap.Returned.of(blocks[i], k + batch, false).segment(), layouts[i]);
            }
            done += count;
        }
    }

    /**
     * {@return {@code block}, checked to be a native segment of the layout's size} Blocks are handed back
     * re-derived from their address, which only a native block of that size makes safe.
     */
    private static MemorySegment nativeBlock(Journal journal, Layout layout, MemorySegment block) {
        if (block == null || !block.isNative() || block.byteSize() != layout.size()) {
            throw journal.violation(block != null && block.isNative() ? Rule.EXACT_SIZE : Rule.NATIVE,
                    "the allocator returned " + block + " for " + layout + "; expected a native segment of "
                            + layout.size() + " bytes");
        }
        return block;
    }

    private static Layout layout(Random random, Capabilities capabilities, long maxAlignment) {
        return Layout.of(Math.min(SIZES[random.nextInt(SIZES.length)], capabilities.maxSize()),
                Math.min(1L << random.nextInt(7), maxAlignment));
    }

    private static void reallocate(GlobalAllocator allocator, Journal journal, MemorySegment[] blocks,
                                   Layout[] layouts, int index, int kind, Capabilities capabilities) {
        Layout layout = layouts[index];
        long newSize = switch (kind) {
            case 0 -> Math.min(layout.size() * 2 + 8, capabilities.maxSize());
            case 1 -> layout.size() / 2;
            case 2 -> 0;
            default -> IMPOSSIBLE;
        };
        try {
            Layout newLayout = Layout.of(newSize, layout.alignment());
            blocks[index] = nativeBlock(journal, newLayout,
                    allocator.reallocate(Heap.Returned.of(blocks[index], index, true).segment(), layout, newSize));
            layouts[index] = newLayout;
            if (newSize == IMPOSSIBLE) {
                throw journal.violation(Rule.FAILURE_EXCEPTION, "reallocate(" + layout + ", newSize=" + newSize
                        + ") returned a block; expected AllocationException");
            }
        } catch (AllocationException e) {
            if (newSize != IMPOSSIBLE) {
                throw e;
            }
        }
    }
}
