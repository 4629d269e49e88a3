package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A counting parent allocator (Zig's {@code FailingAllocator}): it passes requests to {@code system},
 * fails the k-th one with {@link AllocationException} (failure injection), or any request that would take
 * it past a byte limit (genuine exhaustion), and keeps every block it gave out until it is given back, so
 * that every byte the allocator under test holds, leaks or frees wrongly shows.
 */
final class FailingParent implements GlobalAllocator {
    static final String NAME = "testkit-failing-parent";

    private final GlobalAllocator backing = GlobalAllocator.system();
    private final long failAt;
    private final long limitBytes;
    private final Map<Long, Layout> live = new LinkedHashMap<>();
    private final List<String> misuse = new ArrayList<>();
    private long requests;
    private long heldBytes;
    private boolean failed;

    /** @param failAt the 1-based index of the request that fails; {@code Long.MAX_VALUE} for none */
    FailingParent(long failAt) {
        this(failAt, Long.MAX_VALUE);
    }

    /**
     * @param failAt     the 1-based index of the request that fails; {@code Long.MAX_VALUE} for none
     * @param limitBytes the most bytes it gives out at once; a request past it fails
     */
    FailingParent(long failAt, long limitBytes) {
        this.failAt = failAt;
        this.limitBytes = limitBytes;
    }

    /** {@return a parent that never fails and counts what it gives out} */
    static FailingParent counting() {
        return new FailingParent(Long.MAX_VALUE);
    }

    /** {@return a parent that fails every request past {@code limitBytes} held} @param limitBytes the limit */
    static FailingParent limitedTo(long limitBytes) {
        return new FailingParent(Long.MAX_VALUE, limitBytes);
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        count(layout);
        return track(backing.allocate(layout), layout);
    }

    @Override
    public synchronized MemorySegment allocateZeroed(Layout layout) {
        count(layout);
        return track(backing.allocateZeroed(layout), layout);
    }

    @Override
    public synchronized MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        Layout newLayout = Layout.of(newSize, layout.alignment());
        count(newLayout); // against the limit as if the new block came beside the old one: a copying move does
        if (!check(block, layout, "reallocate")) {
            throw new AllocationException(NAME, newLayout, "reallocate of a block the parent did not give out: "
                    + misuse.getLast());
        }
        MemorySegment moved = backing.reallocate(block, layout, newSize);
        untrack(block.address());
        return track(moved, newLayout);
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (check(block, layout, "deallocate")) {
            untrack(block.address());
            backing.deallocate(block, layout);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the bytes given out and not given back} */
    synchronized long heldBytes() {
        return heldBytes;
    }

    synchronized long requests() {
        return requests;
    }

    synchronized boolean failed() {
        return failed;
    }

    synchronized Map<Long, Layout> live() {
        return new LinkedHashMap<>(live);
    }

    synchronized List<String> misuse() {
        return new ArrayList<>(misuse);
    }

    /** Frees what is still live, so that a failing check leaks nothing into the test JVM. */
    synchronized void releaseLeaks() {
        live.forEach((address, layout) -> backing.deallocate(MemorySegment.ofAddress(address), layout));
        live.clear();
        heldBytes = 0;
    }

    private void count(Layout layout) {
        if (++requests == failAt) {
            failed = true;
            throw new AllocationException(NAME, layout, "injected failure at parent request #" + failAt);
        }
        if (heldBytes + layout.size() > limitBytes) {
            throw new AllocationException(NAME, layout, "limitBytes=" + limitBytes + " reached (held "
                    + heldBytes + " bytes)");
        }
    }

    private MemorySegment track(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            live.put(block.address(), layout);
            heldBytes += layout.size();
        }
        return block;
    }

    private void untrack(long address) {
        Layout given = live.remove(address);
        if (given != null) {
            heldBytes -= given.size();
        }
    }

    private boolean check(MemorySegment block, Layout layout, String operation) {
        Layout given = live.get(block.address());
        if (layout.size() == 0 && given == null) {
            return true;
        }
        if (given == null) {
            misuse.add(operation + " of 0x" + Long.toHexString(block.address()) + " with " + layout
                    + ", which the parent did not give out (or was given back already)");
            return false;
        }
        if (!given.equals(layout)) {
            misuse.add(operation + " of 0x" + Long.toHexString(block.address()) + " with " + layout
                    + ", but it was given out with " + given);
            return false;
        }
        return true;
    }
}
