package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Serves some layouts from a wider base block of the parent's, handing out a part of it; the rest are
 * forwarded. A carved block is freed by giving its whole base back with the base's layout.
 */
public abstract class Carving extends Forwarding {
    private record Base(MemorySegment segment, Layout layout) {
    }

    private final Map<Long, Base> bases = new ConcurrentHashMap<>();

    /**
     * Creates a carving allocator over {@code parent}.
     *
     * @param parent the allocator bases come from
     */
    protected Carving(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return whether {@code layout} (never zero-size) is carved from a base} @param layout the request */
    protected abstract boolean carves(Layout layout);

    /** {@return the layout of the base to carve {@code layout} from} @param layout the request */
    protected abstract Layout baseLayout(Layout layout);

    /**
     * {@return the offset in {@code base} of the block handed out for {@code layout}}
     *
     * @param base   the base block
     * @param layout the request
     */
    protected abstract long offset(MemorySegment base, Layout layout);

    /**
     * {@return the length of the segment handed out for {@code layout}}
     *
     * @implSpec The default returns {@code layout.size()}.
     * @param base   the base block
     * @param layout the request
     */
    protected long length(MemorySegment base, Layout layout) {
        return layout.size();
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        if (!carves(layout)) {
            return fromParent(layout);
        }
        return carved(layout);
    }

    /**
     * {@return a block for {@code layout} carved from a new base, whatever {@link #carves} says}
     *
     * @param layout a non-zero-size request
     */
    protected final MemorySegment carved(Layout layout) {
        Layout wide = baseLayout(layout);
        MemorySegment base = fromParent(wide);
        // asSlice refuses any part outside the base: the bug can misplace a block, never overrun memory.
        MemorySegment block = base.asSlice(offset(base, layout), length(base, layout));
        bases.put(block.address(), new Base(base, wide));
        return block;
    }

    /**
     * {@return the base a live carved block was carved from, or null if it was not carved}
     *
     * @param block a live block of this allocator
     */
    protected final MemorySegment baseOf(MemorySegment block) {
        Base base = bases.get(block.address());
        return base == null ? null : base.segment();
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Base base = bases.remove(block.address());
        if (base == null) {
            parent.deallocate(block, layout);
        } else {
            parent.deallocate(base.segment(), base.layout());
        }
    }
}
