package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@code allocateZeroed} to reuse cached blocks (up to 64 per layout) and clears a reused block
 * word by word, forgetting the tail: only {@code size & ~7} bytes are zeroed, so the last {@code size % 8}
 * bytes keep what the block's last owner wrote. Fresh blocks are zeroed whole.
 *
 * <p>Shows when: a block whose size is not a multiple of 8 is freed and {@code allocateZeroed} asks for
 * the same layout. Takes a parent.
 */
public final class ZeroedTailDirtyAfterReuse extends Caching {
    private static final int KEPT = 64;

    /** Creates it over {@code system}. */
    public ZeroedTailDirtyAfterReuse() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ZeroedTailDirtyAfterReuse(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        MemorySegment kept = layout.size() > 0 ? cache.poll(layout) : null;
        if (kept == null) {
            return fromParent(layout).fill((byte) 0);
        }
        kept.asSlice(0, layout.size() & ~7L).fill((byte) 0); // the bug: whole words only
        return kept;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            keepAtMost(KEPT, block, layout);
        }
    }
}
