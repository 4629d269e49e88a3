package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A checked mode whose {@code deallocate} detects double frees, foreign blocks and layout mismatches, but
 * whose {@code reallocate} checks nothing: reallocating a freed or foreign block silently allocates a new
 * block (copying nothing, freeing nothing), and reallocating with the wrong layout silently uses the
 * recorded one.
 *
 * <p>Shows when: the misuse reaches the allocator through {@code reallocate} instead of
 * {@code deallocate}. Declares {@link Ledgered#capabilities()}: detects {@code DOUBLE_FREE},
 * {@code FOREIGN_BLOCK} and {@code LAYOUT_MISMATCH}.
 */
public final class CheckedReallocUnchecked extends Ledgered {
    /** Creates it over {@code system}. */
    public CheckedReallocUnchecked() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedReallocUnchecked(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Layout recorded;
        synchronized (ledger) {
            recorded = ledger.free(block.address(), layout, true);
        }
        parent.deallocate(block, recorded);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
        if (layout.size() == 0) {
            return moved;
        }
        Layout recorded;
        MemorySegment old;
        synchronized (ledger) {
            recorded = ledger.layoutOf(block.address());
            if (recorded == null) {
                return moved; // the bug: a freed or foreign block passes unreported
            }
            old = ledger.blockAt(block.address());
            ledger.free(block.address(), recorded, false); // the bug: the caller's layout is not compared
        }
        MemorySegment.copy(old, 0, moved, 0, Math.min(recorded.size(), newSize));
        parent.deallocate(old, recorded);
        return moved;
    }
}
