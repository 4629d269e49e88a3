package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Caches freed small blocks (up to 256 bytes) in {@link RacyStack}s that a subclass picks and guards,
 * wrongly under some contention; larger blocks are forwarded. Small blocks are never given back before
 * {@link #close()} (a full stack retires the block until then): a race can hand one block to two callers,
 * so a block given back early could still be in use.
 */
public abstract class RacyCaching extends Forwarding implements AutoCloseable {
    private static final long SMALL = 256;
    private final Owned owned = new Owned();

    /**
     * Creates a caching allocator over {@code parent}.
     *
     * @param parent the allocator blocks come from
     */
    protected RacyCaching(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return a cached block of {@code layout}, or null} @param layout a small layout */
    protected abstract MemorySegment take(Layout layout);

    /**
     * {@return whether {@code block} was cached}
     *
     * @param layout its layout
     * @param block  the block as the parent returned it
     */
    protected abstract boolean give(Layout layout, MemorySegment block);

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0 || layout.size() > SMALL) {
            return fromParent(layout);
        }
        MemorySegment cached = take(layout);
        if (cached != null) {
            return cached;
        }
        return owned.record(fromParent(layout), layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (layout.size() > SMALL) {
            parent.deallocate(block, layout);
            return;
        }
        MemorySegment own = owned.block(block.address());
        if (own != null) {
            give(layout, own); // a full stack: retired, given back at close
        }
    }

    /** Gives every small block back to the parent, each once. */
    @Override
    public void close() {
        owned.releaseAllTo(parent);
    }
}
