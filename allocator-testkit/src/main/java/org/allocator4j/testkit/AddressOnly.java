package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Blocks held by their address only: a caller may keep nothing but the address of a live block, so its
 * memory must not depend on the returned segment object staying reachable (as memory of
 * {@code Arena.ofAuto()} does, freed by the garbage collector), nor be confined to the thread that
 * allocated it (any thread may use and free it). The blocks are written, read from another thread, every reference
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
            MemorySegment[] returned = new MemorySegment[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                layouts[i] = Layout.of(Math.min(SIZES[i % SIZES.length], contract.capabilities().maxSize()), 8);
                MemorySegment block = i % 2 == 0 ? allocator.allocate(layouts[i]) : allocator.allocateZeroed(layouts[i]);
                LiveBlocks.Block checked = heap.live().add(block, layouts[i], "allocate(" + layouts[i] + ")");
                LiveBlocks.fill(checked);
                heap.live().remove(checked);
                addresses[i] = block.address();
                returned[i] = block;
                seeds[i] = checked.seed();
            }
            // Blocks may be used and freed by any thread: confined memory is not the allocator's to hand out.
            readFromAnotherThread(heap, returned);
            java.util.Arrays.fill(returned, null);
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

    /** Reads every block through its segment from one other thread; a refusal breaks {@link Rule#NATIVE}. */
    private static void readFromAnotherThread(Heap heap, MemorySegment[] blocks) throws InterruptedException {
        Throwable[] refused = new Throwable[1];
        Thread reader = new Thread(() -> {
            try {
                for (MemorySegment block : blocks) {
                    block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
                }
            } catch (Throwable e) {
                refused[0] = e;
            }
        }, "testkit-reader");
        reader.start();
        reader.join();
        if (refused[0] != null) {
            throw heap.journal().violation(Rule.NATIVE, "a live block could not be read from another thread: "
                    + refused[0], refused[0]);
        }
    }

    private static void collect() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // lets the cleaner thread run
        }
    }
}
