package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * A fixed pool of {@value #SLOTS} slots of {@value #SLOT} bytes in one chunk of the parent's, got at
 * construction and given back at {@link #close()}: blocks up to a slot in size and alignment, never yet
 * used slots handed out in order ({@code fresh}), freed ones from a stack. When both are empty the pool is
 * exhausted; subclasses get that path wrong. Thread-safe (one lock).
 */
public abstract class SlotPool implements GlobalAllocator, AutoCloseable {
    /** The size and alignment of a slot: 4096 bytes. */
    public static final long SLOT = 4096;
    /** The number of slots: 1024 (4 MiB). */
    public static final int SLOTS = 1024;
    private static final Layout CHUNK = Layout.of(SLOT * SLOTS, SLOT);

    private final String name = "blind-" + getClass().getSimpleName();
    private final GlobalAllocator parent;
    private final MemorySegment chunk;
    private final int[] freed = new int[SLOTS];
    /** Freed slots on the stack. */
    protected int top;
    /** The next never-used slot; {@value #SLOTS} when all were used once. */
    protected int fresh;

    /**
     * Creates a pool over {@code parent}.
     *
     * @param parent the allocator the chunk comes from
     * @throws AllocationException if the parent cannot provide the chunk (naming this allocator)
     */
    protected SlotPool(GlobalAllocator parent) {
        this.parent = parent;
        try {
            this.chunk = parent.allocate(CHUNK);
        } catch (AllocationException e) {
            throw new AllocationException(name, CHUNK, "the pool's chunk: " + e.getMessage(), e);
        }
    }

    /** {@return standard capabilities capped at one slot: maxSize and maxAlignment 4096, over a parent} */
    public static Capabilities capabilities() {
        return Capabilities.standard().withMaxSize(SLOT).withMaxAlignment(SLOT).overParent();
    }

    /**
     * {@return the slot to hand out, or throws} Called under the lock.
     *
     * @param layout the request
     */
    protected abstract int take(Layout layout);

    /** {@return the next slot from the stack or the fresh ones, or -1 when both are empty} Under the lock. */
    protected final int next() {
        if (top > 0) {
            return freed[--top];
        }
        return fresh < SLOTS ? fresh++ : -1;
    }

    /** {@return the exception for an exhausted pool} @param layout the request */
    protected final AllocationException exhaustion(Layout layout) {
        return new AllocationException(name(), layout, "pool exhausted: all " + SLOTS + " slots are live");
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        if (layout.size() > SLOT || layout.alignment() > SLOT) {
            throw new AllocationException(name(), layout, "the pool serves size and alignment <= " + SLOT);
        }
        return chunk.asSlice(take(layout) * SLOT, layout.size());
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        long offset = block.address() - chunk.address();
        if (offset < 0 || offset >= chunk.byteSize() || offset % SLOT != 0 || top == SLOTS) {
            throw new IllegalArgumentException("block 0x" + Long.toHexString(block.address())
                    + " is not a live slot of " + name());
        }
        freed[top++] = (int) (offset / SLOT);
    }

    @Override
    public String name() {
        return name;
    }

    /** Gives the chunk back to the parent. */
    @Override
    public void close() {
        parent.deallocate(chunk, CHUNK);
    }
}
