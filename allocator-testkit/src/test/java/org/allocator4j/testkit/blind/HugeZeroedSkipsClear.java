package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Keeps up to two freed blocks of each layout of 4 MiB or more for reuse, and {@code allocateZeroed}
 * assumes a block that large is fresh from {@code mmap}, hence already zero: a reused one is returned
 * with the bytes its last owner wrote (glibc's calloc skips the clear for mmapped chunks; this one forgot
 * that its cache breaks the assumption).
 *
 * <p>Shows when: a block of {@code size >= 4 MiB} is freed and then {@code allocateZeroed} asks for the
 * same layout. Smaller blocks are zeroed. Standard capabilities (sizes to 1 GiB); takes a parent.
 */
public final class HugeZeroedSkipsClear extends Caching {
    private static final long HUGE = 4L << 20;
    private static final int KEPT = 2;

    /** Creates it over {@code system}. */
    public HugeZeroedSkipsClear() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public HugeZeroedSkipsClear(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        if (layout.size() < HUGE) {
            return super.allocateZeroed(layout);
        }
        MemorySegment kept = cache.poll(layout);
        if (kept != null) {
            return kept; // the bug: "huge blocks come from mmap, already zero"
        }
        return fromParent(layout).fill((byte) 0);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() >= HUGE) {
            keepAtMost(KEPT, block, layout);
        } else {
            parent.deallocate(block, layout);
        }
    }
}
