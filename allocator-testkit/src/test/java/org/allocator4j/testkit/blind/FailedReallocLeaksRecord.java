package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Keeps a 32-byte native record per block (allocation site, size), allocated from the parent beside the
 * block and freed with it. {@code reallocate} allocates the new record first and, when the parent then
 * fails the new block, leaks that record (the old block and its record are correctly left as they were).
 * {@code allocate} gets the failure path right.
 *
 * <p>Shows when: a {@code reallocate} fails (an impossible size, or a parent failing that request); the
 * parent then holds one 32-byte record more than the live blocks account for, even after {@code close}.
 * Takes a parent.
 */
public final class FailedReallocLeaksRecord extends Forwarding {
    private static final Layout RECORD = Layout.of(32, 8);
    private final Map<Long, MemorySegment> records = new ConcurrentHashMap<>();

    /** Creates it over {@code system}. */
    public FailedReallocLeaksRecord() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public FailedReallocLeaksRecord(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        MemorySegment record = fromParent(RECORD);
        MemorySegment block;
        try {
            block = fromParent(layout);
        } catch (AllocationException e) {
            parent.deallocate(record, RECORD);
            throw e;
        }
        record.fill((byte) 0).set(ValueLayout.JAVA_LONG, 0, layout.size());
        records.put(block.address(), record);
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        MemorySegment record = records.remove(block.address());
        if (record != null) {
            parent.deallocate(record, RECORD);
        }
        parent.deallocate(block, layout);
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        Layout newLayout = Layout.of(newSize, layout.alignment());
        if (layout.size() == 0 || newSize == 0) {
            return super.reallocate(block, layout, newSize);
        }
        MemorySegment record = fromParent(RECORD);
        MemorySegment moved = fromParent(newLayout); // the bug: on failure, record is lost
        MemorySegment.copy(block, 0, moved, 0, Math.min(layout.size(), newSize));
        record.fill((byte) 0).set(ValueLayout.JAVA_LONG, 0, newSize);
        records.put(moved.address(), record);
        deallocate(block, layout);
        return moved;
    }
}
