package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * An allocator that allocates nothing: every block it returns is a segment of the requested size at an
 * address that is never read or written (the alignment itself, so it is aligned and never 0). The timed
 * replay runs on it to measure its own cost (reading events, the live-block table, the calls): the loop
 * cost reported beside each strategy's time. Never handed to code that touches block contents.
 */
final class NullAllocator implements GlobalAllocator {
    /** Its name in reports. */
    static final String NAME = "null (loop cost)";

    @Override
    public MemorySegment allocate(Layout layout) {
        return AddressSpace.segment(layout.alignment(), layout.size());
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        // nothing was allocated
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        return AddressSpace.segment(layout.alignment(), newSize);
    }

    @Override
    public String name() {
        return NAME;
    }
}
