package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Keeps freed blocks per layout for reuse, filing each under {@code Layout.of(block.byteSize(),
 * layout.alignment())}: the length of the segment it is handed, not the layout's size. A zero-length
 * segment ({@code MemorySegment.ofAddress(a)}) is taken for the dangling block and ignored (the block
 * leaks); a shorter slice is filed under a smaller layout, handed out for smaller requests, and given back
 * to the parent at {@link #close()} with that wrong, smaller size.
 *
 * <p>Shows when: {@code deallocate} is handed a segment whose {@code byteSize()} is not the layout's size:
 * a leak (zero length) or a wrongly sized free reaching the parent at close (shorter). Takes a parent.
 */
public final class ByteSizeFiledCache extends Caching {

    /** Creates it over {@code system}. */
    public ByteSizeFiledCache() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ByteSizeFiledCache(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0 || block.byteSize() == 0) {
            return; // the bug, first half: a zero-length segment is taken for the dangling block
        }
        // the bug, second half: filed by the segment's length (never longer than the block: stays in bounds)
        Layout filed = Layout.of(Math.min(block.byteSize(), layout.size()), layout.alignment());
        cache.push(filed, block.byteSize() == filed.size() ? block : block.asSlice(0, filed.size()));
    }
}
