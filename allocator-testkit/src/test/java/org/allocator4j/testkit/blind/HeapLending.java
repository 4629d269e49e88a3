package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Hands out some blocks as heap segments over a Java {@code long[]} (exact size, address 0, so any
 * alignment check on the address passes; {@code isNative()} is false) and the rest from the parent. A
 * heap block, or a segment re-derived from its address, is not given to the parent when freed.
 */
public abstract class HeapLending extends Forwarding {
    /** The largest alignment a {@code long[]} segment provides. */
    protected static final long HEAP_ALIGNMENT = Long.BYTES;
    /** No native block of the parent's lies in the first page. */
    private static final long FIRST_PAGE = 4096;

    /**
     * Creates it over {@code parent}.
     *
     * @param parent the allocator native blocks come from
     */
    protected HeapLending(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return a zero-filled heap segment of exactly {@code layout.size()} bytes} @param layout the request */
    protected static MemorySegment onHeap(Layout layout) {
        return MemorySegment.ofArray(new long[(int) ((layout.size() + 7) / 8)]).asSlice(0, layout.size());
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0 || !block.isNative() || block.address() < FIRST_PAGE) {
            return; // a heap block (or its address re-derived): the garbage collector's
        }
        parent.deallocate(block, layout);
    }
}
