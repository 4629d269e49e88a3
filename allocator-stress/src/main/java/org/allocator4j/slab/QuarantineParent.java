package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A parent allocator that catches writes into a slab after the slab went back to it: a freed region is
 * filled with {@link #POISON} and kept (not freed) until the test that owns it calls {@link #retire},
 * which checks that every byte is still poison and only then frees the region to {@code system}.
 *
 * <p>Regions come from {@link GlobalAllocator#system()}, which honours the slabs' alignment. Memory
 * stays bounded: each test state retires the one slab it made, in its arbiter.
 *
 * @implNote Thread-safe: any thread may allocate and free; {@link #retire} takes a region out of the
 * concurrent map once, so exactly one caller frees it.
 */
final class QuarantineParent implements GlobalAllocator {
    /** The byte every released region is filled with. */
    static final byte POISON = (byte) 0xA5;
    private static final long POISON_WORD = 0xA5A5_A5A5_A5A5_A5A5L;

    /** {@link #retire}'s answer for a region that was never released (still held by the slab allocator). */
    static final int NOT_RELEASED = -1;
    /** {@link #retire}'s answer for a released region someone wrote into after its release. */
    static final int WRITTEN_AFTER_RELEASE = 0;
    /** {@link #retire}'s answer for a released region that is all poison. */
    static final int INTACT = 1;

    private record Released(MemorySegment region, Layout layout) {
    }

    private final GlobalAllocator system = GlobalAllocator.system();
    private final ConcurrentHashMap<Long, Released> released = new ConcurrentHashMap<>();

    @Override
    public MemorySegment allocate(Layout layout) {
        return system.allocate(layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return; // the zero-size rule: nothing was allocated
        }
        block.fill(POISON);
        // The map's put publishes the poison to the thread that retires the region.
        if (released.put(block.address(), new Released(block, layout)) != null) {
            throw new IllegalStateException("region address=0x" + Long.toHexString(block.address())
                    + " released twice; expected one release per allocation");
        }
    }

    /**
     * Checks and frees the region at {@code address}, if it was released.
     *
     * @return {@link #INTACT}, {@link #WRITTEN_AFTER_RELEASE} or {@link #NOT_RELEASED}
     */
    int retire(long address) {
        Released r = released.remove(address);
        if (r == null) {
            return NOT_RELEASED;
        }
        boolean intact = Blocks.filledWith(r.region, 0, POISON_WORD);
        system.deallocate(r.region, r.layout);
        return intact ? INTACT : WRITTEN_AFTER_RELEASE;
    }

    @Override
    public String name() {
        return "quarantine";
    }
}
