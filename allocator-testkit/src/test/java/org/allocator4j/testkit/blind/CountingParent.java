package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A parent for the zoo's own tests: forwards to {@code system}, keeps every live block with its layout,
 * records foreign and wrongly sized frees (a foreign free is not forwarded), and can fail its n-th request.
 */
final class CountingParent implements GlobalAllocator {
    static final String NAME = "counting-parent";
    private final GlobalAllocator system = GlobalAllocator.system();
    private final Map<Long, Layout> live = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final int failAt;

    /** A parent that never fails. */
    CountingParent() {
        this(0);
    }

    /** @param failAt the 1-based request to fail, 0 for none */
    CountingParent(int failAt) {
        this.failAt = failAt;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (requests.incrementAndGet() == failAt) {
            throw new AllocationException(NAME, layout, "planted failure of request " + failAt);
        }
        MemorySegment block = system.allocate(layout);
        if (layout.size() > 0) {
            live.put(block.address(), layout);
        }
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Layout recorded = live.remove(block.address());
        if (recorded == null) {
            error("foreign free of 0x" + Long.toHexString(block.address()) + " as " + layout);
            return;
        }
        if (!recorded.equals(layout)) {
            error("block of " + recorded + " freed as " + layout);
        }
        system.deallocate(block, recorded);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the number of live blocks} */
    int liveBlocks() {
        return live.size();
    }

    /** {@return the bytes of live blocks} */
    long liveBytes() {
        return live.values().stream().mapToLong(Layout::size).sum();
    }

    /** {@return the foreign and wrongly sized frees seen} */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    private synchronized void error(String message) {
        errors.add(message);
    }
}
