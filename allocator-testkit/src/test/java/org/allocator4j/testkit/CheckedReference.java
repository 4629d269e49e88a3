package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * block has a 16-byte red zone after it; a misused block is never passed to the parent.
 */
final class CheckedReference implements GlobalAllocator {
    static final String NAME = "testkit-checked-reference";
    private static final long RED_ZONE = 16;
    private static final byte POISON = (byte) 0xCD;

    private record Entry(MemorySegment whole, Layout layout, Layout parentLayout) {
    }

    private final GlobalAllocator parent;
    private final Map<Long, Entry> live = new HashMap<>();
    private final Set<Long> freed = new HashSet<>();

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

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
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
        live.remove(block.address());
        freed.add(block.address());
        parent.deallocate(entry.whole, entry.parentLayout);
    }

    @Override
    public String name() {
        return NAME;
    }
}
