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
 * A parent allocator for failure injection (Zig's {@code FailingAllocator}): it passes requests to
 * {@code system}, fails the k-th one with {@link AllocationException}, and keeps every block it gave out
 * until it is given back, so that what the allocator under test leaks or frees wrongly shows.
 */
final class FailingParent implements GlobalAllocator {
    static final String NAME = "testkit-failing-parent";

    private final GlobalAllocator backing = GlobalAllocator.system();
    private final long failAt;
    private final Map<Long, Layout> live = new LinkedHashMap<>();
    private final List<String> misuse = new ArrayList<>();
    private long requests;
    private boolean failed;

    /** @param failAt the 1-based index of the request that fails; {@code Long.MAX_VALUE} for none */
    FailingParent(long failAt) {
        this.failAt = failAt;
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
        count(newLayout);
        check(block, layout, "reallocate");
        MemorySegment moved = backing.reallocate(block, layout, newSize);
        live.remove(block.address());
        return track(moved, newLayout);
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (check(block, layout, "deallocate")) {
            live.remove(block.address());
            backing.deallocate(block, layout);
        }
    }

    @Override
    public String name() {
        return NAME;
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
    }

    private void count(Layout layout) {
        if (++requests == failAt) {
            failed = true;
            throw new AllocationException(NAME, layout, "injected failure at parent request #" + failAt);
        }
    }

    private MemorySegment track(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            live.put(block.address(), layout);
        }
        return block;
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
