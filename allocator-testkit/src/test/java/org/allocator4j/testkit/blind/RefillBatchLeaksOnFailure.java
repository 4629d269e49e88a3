package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A per-layout cache of small blocks (up to 512 bytes) refilled in batches of 8 from the parent on a
 * miss. When the parent fails part-way through a batch, the blocks the batch already got are dropped: the
 * request fails (it could have been served) and those blocks leak, even past {@code close}.
 *
 * <p>Shows when: the parent fails the 2nd to 8th request of a refill batch (a limited or failing
 * parent); the parent then holds blocks nobody owns. Takes a parent.
 */
public final class RefillBatchLeaksOnFailure extends Caching {
    private static final long SMALL = 512;
    private static final int BATCH = 8;

    /** Creates it over {@code system}. */
    public RefillBatchLeaksOnFailure() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public RefillBatchLeaksOnFailure(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        if (layout.size() > SMALL) {
            return fromParent(layout);
        }
        MemorySegment kept = cache.poll(layout);
        if (kept != null) {
            return kept;
        }
        List<MemorySegment> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(fromParent(layout)); // the bug: a failure here drops what batch holds
        }
        for (int i = 1; i < BATCH; i++) {
            cache.push(layout, batch.get(i));
        }
        return batch.get(0);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (layout.size() > SMALL) {
            parent.deallocate(block, layout);
        } else {
            cache.push(layout, block);
        }
    }
}
