package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * A checked mode with 64-byte red zones before and after every block, verified when the block is freed,
 * but not when it is reallocated: {@code reallocate} moves the block and gives the old base back without
 * looking at its red zones, so an overrun followed by a reallocation goes unreported.
 *
 * <p>Shows when: bytes just before or after a block are written and the block is then reallocated (to any
 * size, 0 included). Declares {@link #capabilities()}: detects {@code OVERRUN}.
 */
public final class CheckedRedZoneSkippedOnRealloc extends Forwarding implements AutoCloseable {
    private static final long ZONE = 64;
    private static final byte RED = (byte) 0xFA;

    private record Guarded(MemorySegment base, Layout baseLayout, long front) {
    }

    private final Map<Long, Guarded> live = new HashMap<>();
    private final List<Guarded> condemned = new ArrayList<>();

    /** Creates it over {@code system}. */
    public CheckedRedZoneSkippedOnRealloc() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedRedZoneSkippedOnRealloc(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return standard capabilities over a parent, detecting {@code OVERRUN}} */
    public static Capabilities capabilities() {
        return Capabilities.standard().withDetection(Kind.OVERRUN).overParent();
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        // front is a multiple of the alignment (both powers of two), so base + front stays aligned
        long front = Math.max(ZONE, layout.alignment());
        Layout baseLayout = Layout.of(front + layout.size() + ZONE, layout.alignment());
        MemorySegment base = fromParent(baseLayout);
        base.asSlice(front - ZONE, ZONE).fill(RED);
        base.asSlice(front + layout.size(), ZONE).fill(RED);
        MemorySegment block = base.asSlice(front, layout.size());
        live.put(block.address(), new Guarded(base, baseLayout, front));
        return block;
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Guarded guarded = live.remove(block.address());
        if (guarded == null) {
            return; // not a live block: undefined behaviour, nothing declared for it
        }
        long size = guarded.baseLayout().size() - guarded.front() - ZONE;
        if (!intact(guarded.base().asSlice(guarded.front() - ZONE, ZONE))
                || !intact(guarded.base().asSlice(guarded.front() + size, ZONE))) {
            condemned.add(guarded); // kept, not given back: the parent never sees a misused block
            throw new AllocatorMisuseException(Kind.OVERRUN, name(), "a red zone of block 0x"
                    + Long.toHexString(block.address()) + ", " + layout + " was overwritten");
        }
        parent.deallocate(guarded.base(), guarded.baseLayout());
    }

    @Override
    public synchronized MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
        if (layout.size() == 0) {
            return moved;
        }
        Guarded guarded = live.remove(block.address());
        if (guarded != null) {
            long size = guarded.baseLayout().size() - guarded.front() - ZONE;
            MemorySegment.copy(guarded.base(), guarded.front(), moved, 0, Math.min(size, newSize));
            parent.deallocate(guarded.base(), guarded.baseLayout()); // the bug: red zones not checked
        }
        return moved;
    }

    /** Gives the blocks whose red zones were found overwritten back to the parent. */
    @Override
    public synchronized void close() {
        condemned.forEach(g -> parent.deallocate(g.base(), g.baseLayout()));
        condemned.clear();
    }

    private static boolean intact(MemorySegment zone) {
        for (long i = 0; i < zone.byteSize(); i++) {
            if (zone.get(ValueLayout.JAVA_BYTE, i) != RED) {
                return false;
            }
        }
        return true;
    }
}
