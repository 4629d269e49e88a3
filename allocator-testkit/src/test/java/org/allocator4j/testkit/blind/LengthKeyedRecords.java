package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Keeps the layout of each live block in a hash map keyed by the segment's address <em>and length</em>
 * (so that "a block and a view into it stay apart"): a free handed a segment with the right address but
 * another length (the zero-length {@code MemorySegment.ofAddress(a)}, or a shorter slice) finds no entry
 * and is ignored, and the block leaks, close included. A re-derived
 * {@code ofAddress(a).reinterpret(size)} of the block's own size works.
 *
 * <p>Shows when: {@code deallocate} or {@code reallocate} is handed a segment at the block's address whose
 * {@code byteSize()} is not the layout's size. Takes a parent.
 */
public final class LengthKeyedRecords extends Forwarding {
    private record Key(long address, long length) {
        Key(MemorySegment block) {
            this(block.address(), block.byteSize());
        }
    }

    private final Map<Key, Layout> live = new ConcurrentHashMap<>();

    /** Creates it over {@code system}. */
    public LengthKeyedRecords() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public LengthKeyedRecords(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment block = fromParent(layout);
        if (layout.size() > 0) {
            live.put(new Key(block), layout);
        }
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        Layout recorded = live.remove(new Key(block)); // the bug: the segment's length is part of the key
        if (recorded != null) {
            parent.deallocate(block, recorded);
        }
    }
}
