package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A correct checked allocator over a parent, for the testkit's own tests: it proves that the checked-mode
 * and failure-injection checks pass a correct implementation (the zoo proves they fail broken ones). Each
 * block has a 16-byte red zone after it; a misused block is never passed to the parent. A freed block is
 * poisoned and held in a quarantine of {@value #QUARANTINE} blocks; one that leaves it (or is drained by
 * {@link #close()}) with a changed byte is reported as {@code USE_AFTER_FREE}, after it went back to the parent.
 */
final class CheckedReference implements GlobalAllocator, AutoCloseable {
    private static final int QUARANTINE = 8;
    static final String NAME = "testkit-checked-reference";
    private static final long RED_ZONE = 16;
    private static final byte POISON = (byte) 0xCD;

    private record Entry(MemorySegment whole, Layout layout, Layout parentLayout) {
    }

    private final GlobalAllocator parent;
    private final Map<Long, Entry> live = new HashMap<>();
    private final Set<Long> freed = new HashSet<>();
    private final ArrayDeque<Entry> quarantine = new ArrayDeque<>();

    CheckedReference(GlobalAllocator parent) {
        this.parent = parent;
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        Layout parentLayout;
        try {
            parentLayout = Layout.of(Math.addExact(layout.size(), RED_ZONE), layout.alignment());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new AllocationException(NAME, layout, "no room for the red zone", e);
        }
        MemorySegment whole;
        try {
            whole = parent.allocate(parentLayout);
        } catch (AllocationException e) {
            throw new AllocationException(NAME, layout, "the parent failed: " + e.getMessage(), e);
        }
        whole.asSlice(layout.size()).fill(POISON);
        live.put(whole.address(), new Entry(whole, layout, parentLayout));
        freed.remove(whole.address());
        return whole.asSlice(0, layout.size());
    }

    /** Checks the block first, as {@link #deallocate} does, so that a misused block is never copied or passed on. */
    @Override
    public synchronized MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (layout.size() > 0) {
            check(block, layout);
        }
        return GlobalAllocator.super.reallocate(block, layout, newSize);
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Entry entry = check(block, layout);
        live.remove(block.address());
        freed.add(block.address());
        entry.whole.asSlice(0, layout.size()).fill(POISON);
        quarantine.addLast(entry);
        if (quarantine.size() > QUARANTINE) {
            release(quarantine.removeFirst());
        }
    }

    /** {@return the live entry of the block} @throws AllocatorMisuseException if the block is misused */
    private Entry check(MemorySegment block, Layout layout) {
        Entry entry = live.get(block.address());
        String where = "block at 0x" + Long.toHexString(block.address()) + " with " + layout;
        if (entry == null) {
            throw new AllocatorMisuseException(freed.contains(block.address()) ? Kind.DOUBLE_FREE : Kind.FOREIGN_BLOCK,
                    NAME, where);
        }
        if (!entry.layout.equals(layout)) {
            throw new AllocatorMisuseException(Kind.LAYOUT_MISMATCH, NAME, where + ", allocated with " + entry.layout);
        }
        for (long i = layout.size(); i < entry.whole.byteSize(); i++) {
            if (entry.whole.get(ValueLayout.JAVA_BYTE, i) != POISON) {
                throw new AllocatorMisuseException(Kind.OVERRUN, NAME, where + ": red zone byte " + (i - layout.size())
                        + " overwritten");
            }
        }
        return entry;
    }

    /** Gives a quarantined block back to the parent; throws {@code USE_AFTER_FREE} if it was written to. */
    private void release(Entry entry) {
        long changed = -1;
        for (long i = 0; i < entry.layout.size() && changed < 0; i++) {
            if (entry.whole.get(ValueLayout.JAVA_BYTE, i) != POISON) {
                changed = i;
            }
        }
        parent.deallocate(entry.whole, entry.parentLayout);
        if (changed >= 0) {
            throw new AllocatorMisuseException(Kind.USE_AFTER_FREE, NAME, "block at 0x"
                    + Long.toHexString(entry.whole.address()) + " with " + entry.layout + ": byte at offset="
                    + changed + " written after its free");
        }
    }

    /** Gives every quarantined block back to the parent, then reports the first written after its free. */
    @Override
    public synchronized void close() {
        AllocatorMisuseException first = null;
        while (!quarantine.isEmpty()) {
            try {
                release(quarantine.removeFirst());
            } catch (AllocatorMisuseException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String name() {
        return NAME;
    }
}
