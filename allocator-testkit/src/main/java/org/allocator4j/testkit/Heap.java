package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * One thread's view of an allocator under test: every operation goes through here, is journaled, and is
 * checked against the laws; every live block carries its pattern, verified before it is freed or
 * reallocated. The state of the contract's stateful sequences.
 */
final class Heap {
    private final GlobalAllocator allocator;
    private final LiveBlocks live;

    Heap(GlobalAllocator allocator) {
        this(allocator, new LiveBlocks(new Journal(allocator.name())));
    }

    Heap(GlobalAllocator allocator, LiveBlocks live) {
        this.allocator = allocator;
        this.live = live;
    }

    GlobalAllocator allocator() {
        return allocator;
    }

    LiveBlocks live() {
        return live;
    }

    Journal journal() {
        return live.journal();
    }

    Block allocate(Layout layout) {
        Block block = live.add(allocator.allocate(layout), layout, "allocate(" + layout + ")");
        LiveBlocks.fill(block);
        return block;
    }

    Block allocateZeroed(Layout layout) {
        Block block = live.add(allocator.allocateZeroed(layout), layout, "allocateZeroed(" + layout + ")");
        long at = Patterns.nonZero(block.segment());
        if (at >= 0) {
            throw journal().violation(Rule.ZEROED, "allocateZeroed(" + layout + ") returned " + block
                    + " whose byte at offset " + at + " is not zero");
        }
        LiveBlocks.fill(block);
        return block;
    }

    void free(Block block) {
        live.verify(block, Rule.INTEGRITY, "before its deallocate");
        live.remove(block);
        Returned returned = Returned.of(block, false);
        journal().record("deallocate(" + block + returned.how + ")");
        allocator.deallocate(returned.segment, block.layout());
    }

    /**
     * The segment a caller hands back for a block: the one the allocator returned, or one re-derived from
     * its address ({@code deallocate} relies only on the address; {@code reallocate} also reads the
     * contents, so it gets a segment of the full size), chosen by the block's id so a run is reproducible.
     */
    record Returned(MemorySegment segment, String how) {
        static Returned of(Block block, boolean sized) {
            return of(block.segment(), block.id(), sized);
        }

        /** {@return how to hand back {@code returned} on turn {@code turn}} */
        static Returned of(MemorySegment returned, long turn, boolean sized) {
            long size = returned.byteSize();
            if (size == 0) {
                return new Returned(returned, "");
            }
            String at = "0x" + Long.toHexString(returned.address());
            return switch ((int) Math.floorMod(turn, 4L)) {
                case 1 -> new Returned(NativeAccess.at(returned.address(), size),
                        " via ofAddress(" + at + ").reinterpret(" + size + ")");
                case 2 -> new Returned(returned.asSlice(0, size), " via a slice(0, " + size + ") of it");
                case 3 -> sized
                        ? new Returned(NativeAccess.at(returned.address(), size).asSlice(0, size),
                                " via a slice of ofAddress(" + at + ").reinterpret(" + size + ")")
                        : new Returned(MemorySegment.ofAddress(returned.address()),
                                " via the zero-length ofAddress(" + at + ")");
                default -> new Returned(returned, "");
            };
        }
    }

    /** Reallocates a live block and checks that it kept its contents. */
    Block reallocate(Block block, long newSize) {
        live.verify(block, Rule.INTEGRITY, "before its reallocate");
        live.remove(block);
        Layout newLayout = Layout.of(newSize, block.layout().alignment());
        Returned returned = Returned.of(block, true);
        String operation = "reallocate(" + block + returned.how + ", newSize=" + newSize + ")";
        MemorySegment segment;
        try {
            segment = allocator.reallocate(returned.segment, block.layout(), newSize);
        } catch (AllocationException e) {
            journal().record(operation + " threw " + e);
            live.restore(block);
            live.verify(block, Rule.REALLOC_FAILURE, "after a failed reallocate");
            throw e;
        }
        Block moved = live.add(segment, newLayout, operation, block.seed());
        long kept = Math.min(block.layout().size(), newSize);
        live.verifyPrefix(moved, kept, Rule.REALLOC_CONTENTS, "by " + operation + " (from " + block + ")");
        Patterns.write(moved.segment(), moved.seed(), kept);
        return moved;
    }

    Block pick(int index) {
        List<Block> blocks = live.all();
        return blocks.get(Math.floorMod(index, blocks.size()));
    }

    boolean hasLive() {
        return live.size() > 0;
    }

    void verifyAll(String when) {
        live.verifyAll(when);
    }

    /** Frees every live block, each verified first. */
    void freeAll() {
        for (Block block : live.all()) {
            free(block);
        }
    }

    @Override
    public String toString() {
        return "Heap[allocator=" + allocator.name() + ", live=" + live.size() + "]";
    }
}
