package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Keeps the layout of each live block in an {@link IdentityHashMap} keyed by the segment object it
 * returned ("no hashing on the fast path"). A free whose segment is not that very object finds no entry,
 * takes the block for something it never allocated, and ignores it: the block leaks (to the end, close
 * included), and reallocation of such a segment leaks the old block.
 *
 * <p>Shows when: {@code deallocate} or {@code reallocate} is handed another segment object for a live
 * block, e.g. {@code MemorySegment.ofAddress(a).reinterpret(n)} or a slice with the same address. Takes a
 * parent.
 */
public final class IdentityKeyedRecords extends Forwarding {
    private final Map<MemorySegment, Layout> live = new IdentityHashMap<>();

    /** Creates it over {@code system}. */
    public IdentityKeyedRecords() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public IdentityKeyedRecords(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment block = fromParent(layout);
        if (layout.size() > 0) {
            synchronized (live) {
                live.put(block, layout);
            }
        }
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        Layout recorded;
        synchronized (live) {
            recorded = live.remove(block); // the bug: identity, not address
        }
        if (recorded != null) {
            parent.deallocate(block, recorded);
        }
    }
}
