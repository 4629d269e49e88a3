package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * After mimalloc 2.0.9's {@code mi_malloc_aligned}: a power-of-two size from 256 to 1024 bytes at an
 * alignment of 256 or more is served from a size class whose blocks are 128-aligned, so the block is
 * 128 bytes off the alignment asked (its address is an odd multiple of 128).
 *
 * <p>Shows when: {@code size} is 256, 512 or 1024 and {@code alignment >= 256}. Any other pairing is right.
 */
public final class PowerOfTwoAt128 extends Carving {
    private static final long CLASS_ALIGNMENT = 128;

    /** Creates it over {@code system}. */
    public PowerOfTwoAt128() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public PowerOfTwoAt128(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        long size = layout.size();
        return size >= 256 && size <= 1024 && Long.bitCount(size) == 1 && layout.alignment() >= 256;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(layout.size() + 2 * CLASS_ALIGNMENT, 2 * CLASS_ALIGNMENT);
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return CLASS_ALIGNMENT; // base is 256-aligned: base + 128 is 128-aligned and never 256-aligned
    }
}
