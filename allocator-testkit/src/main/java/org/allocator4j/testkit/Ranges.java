package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * The checks that do not leave the declared ranges to chance: every edge of them, and the power-of-two
 * grid of size and alignment, allocated in every run.
 */
final class Ranges {
    /** Blocks above this size are written and read only at both ends (64 KiB each), not whole. */
    static final long WHOLE_PATTERN_LIMIT = 64L << 20;
    private static final long SPARSE_SPAN = 64L << 10;

    private Ranges() {
    }

    /** Allocates (plain and zeroed) each edge of the declared ranges, on a fresh allocator each. */
    static void declaredEdges(AllocatorContract contract) throws Exception {
        for (Layout layout : Layouts.edges(contract.capabilities())) {
            Checks.onFresh(contract, heap -> {
                heap.journal().record("the declared edge " + layout + " of " + contract.capabilities());
                // Plain, then zeroed: the zeroed block may reuse the plain one's memory, written at least at its ends.
                allocateAndFree(heap, layout, false);
                allocateAndFree(heap, layout, true);
                if (layout.size() > 0 && layout.size() <= WHOLE_PATTERN_LIMIT) {
                    long other = layout.size() * 2 <= contract.capabilities().maxSize() ? layout.size() * 2
                            : layout.size() / 2;
                    heap.free(heap.reallocate(heap.allocate(layout), other));
                }
            });
        }
    }

    /**
     * Every layout of the power-of-two grid, one fresh allocator per alignment: allocated, reallocated to
     * one alignment more and back, freed.
     */
    static void powerOfTwoGrid(AllocatorContract contract) throws Exception {
        Capabilities capabilities = contract.capabilities();
        for (long alignment : Layouts.allAlignments(capabilities)) {
            Checks.onFresh(contract, heap -> {
                Block neighbour = heap.allocate(Layout.of(64, 8));
                for (Layout layout : Layouts.grid(capabilities, alignment)) {
                    Block block = layout.size() == alignment ? heap.allocateZeroed(layout) : heap.allocate(layout);
                    heap.live().verify(neighbour, Rule.INTEGRITY, "after " + block + " was allocated");
                    long grown = layout.size() + alignment;
                    if (grown <= capabilities.maxSize()) {
                        // grow by one alignment (contents kept: the whole old block), then back
                        block = heap.reallocate(heap.reallocate(block, grown), layout.size());
                    }
                    heap.free(block);
                }
                heap.free(neighbour);
            });
        }
    }

    /** Allocates a block and frees it; one above {@link #WHOLE_PATTERN_LIMIT} is written at its ends only. */
    static void allocateAndFree(Heap heap, Layout layout, boolean zeroed) {
        if (layout.size() <= WHOLE_PATTERN_LIMIT) {
            heap.free(zeroed ? heap.allocateZeroed(layout) : heap.allocate(layout));
        } else {
            sparse(heap, layout, zeroed);
        }
    }

    /** A block too large to write whole: its size, alignment and address checked, both ends written. */
    private static void sparse(Heap heap, Layout layout, boolean zeroed) {
        GlobalAllocator allocator = heap.allocator();
        String operation = (zeroed ? "allocateZeroed(" : "allocate(") + layout + ")";
        Block block = heap.live().add(zeroed ? allocator.allocateZeroed(layout) : allocator.allocate(layout),
                layout, operation);
        MemorySegment segment = block.segment();
        long span = Math.min(SPARSE_SPAN, layout.size());
        MemorySegment head = segment.asSlice(0, span);
        MemorySegment tail = segment.asSlice(layout.size() - span, span);
        if (zeroed) {
            long at = Math.max(Patterns.nonZero(head), Patterns.nonZero(tail));
            if (at >= 0) {
                throw heap.journal().violation(Rule.ZEROED, operation + " returned " + block
                        + " whose first or last " + span + " bytes are not all zero");
            }
        }
        Patterns.write(head, block.seed(), 0);
        Patterns.write(tail, block.seed(), 0);
        if (Patterns.mismatch(head, block.seed(), span) >= 0 || Patterns.mismatch(tail, block.seed(), span) >= 0) {
            throw heap.journal().violation(Rule.INTEGRITY, block + " did not keep what was written at its ends");
        }
        heap.live().remove(block);
        heap.journal().record("deallocate(" + block + ")");
        allocator.deallocate(segment, layout);
    }
}
