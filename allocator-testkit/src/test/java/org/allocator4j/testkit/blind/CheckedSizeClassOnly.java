package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A checked mode that compares a free's layout with the block's the way tcmalloc's sized-delete check
 * does: by size class only. A size in the same class (sizes rounded up to 16 bytes up to 1 KiB, to a power
 * of two above) and any alignment pass; only a free whose size falls in another class is reported as
 * {@code LAYOUT_MISMATCH}. Double frees and foreign blocks are detected right.
 *
 * <p>Shows when: a block is freed with a layout of another alignment, or a size within the same size class
 * (e.g. 100 bytes freed as 97, or a 4096-byte block aligned 64 freed as aligned 8). Declares
 * {@link Ledgered#capabilities()}: detects {@code DOUBLE_FREE}, {@code FOREIGN_BLOCK} and {@code LAYOUT_MISMATCH}.
 */
public final class CheckedSizeClassOnly extends Ledgered {
    private static final long SMALL = 1024;

    /** Creates it over {@code system}. */
    public CheckedSizeClassOnly() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedSizeClassOnly(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Layout recorded;
        synchronized (ledger) {
            recorded = ledger.layoutOf(block.address());
            if (recorded != null && sizeClass(recorded.size()) != sizeClass(layout.size())) {
                throw new AllocatorMisuseException(Kind.LAYOUT_MISMATCH, name(), "block 0x"
                        + Long.toHexString(block.address()) + " of " + recorded + " freed as " + layout);
            }
            recorded = ledger.free(block.address(), layout, false); // the bug: the rest of the layout is not compared
        }
        parent.deallocate(block, recorded);
    }

    private static long sizeClass(long size) {
        return size <= SMALL ? (size + 15) / 16 : SMALL / 16 + 64 - Long.numberOfLeadingZeros(size - 1);
    }
}
