package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Blocks held by their address only: a caller may keep nothing but the address of a live block, so its
 * memory must not depend on the returned segment object staying reachable (as memory of
 * {@code Arena.ofAuto()} does, freed by the garbage collector). The blocks are written, every reference
 * to the returned segments dropped, the collector run, and the blocks read back and freed through
 * segments re-derived from their addresses.
 */
final class AddressOnly {
    private static final int BLOCKS = 64;
    private static final long[] SIZES = {1, 8, 16, 24, 64, 100, 256, 1000};

    private AddressOnly() {
    }

    static void run(AllocatorContract contract) throws Exception {
        Checks.onFresh(contract, heap -> {
            GlobalAllocator allocator = heap.allocator();
            long[] addresses = new long[BLOCKS];
            Layout[] layouts = new Layout[BLOCKS];
            int[] seeds = new int[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                layouts[i] = Layout.of(Math.min(SIZES[i % SIZES.length], contract.capabilities().maxSize()), 8);
                MemorySegment block = i % 2 == 0 ? allocator.allocate(layouts[i]) : allocator.allocateZeroed(layouts[i]);
                LiveBlocks.Block checked = heap.live().add(block, layouts[i], "allocate(" + layouts[i] + ")");
                LiveBlocks.fill(checked);
                heap.live().remove(checked);
                addresses[i] = block.address();
                seeds[i] = checked.seed();
            }
            heap.journal().record(BLOCKS + " blocks held by address only; System.gc()");
            collect();
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                MemorySegment view = NativeAccess.at(addresses[i], layouts[i].size());
                long at = Patterns.mismatch(view, seeds[i], layouts[i].size());
                if (at >= 0) {
                    changed.add("0x" + Long.toHexString(addresses[i]) + " " + layouts[i] + " at offset " + at);
                }
            }
            for (int i = 0; i < BLOCKS; i++) {
                allocator.deallocate(MemorySegment.ofAddress(addresses[i]), layouts[i]);
            }
            if (!changed.isEmpty()) {
                throw heap.journal().violation(Rule.NATIVE, changed.size() + " of " + BLOCKS + " live blocks held"
                        + " by their address only changed after a garbage collection (memory owned by the segment"
                        + " object, not the allocator?): " + changed.subList(0, Math.min(4, changed.size())));
            }
        });
    }

    private static void collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // lets the cleaner thread run
        }
    }
}
