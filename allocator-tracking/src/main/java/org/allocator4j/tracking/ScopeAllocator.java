package org.allocator4j.tracking;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.Layout;

/** A {@link BudgetScope}: allocates through its tracking allocator, charged to its {@link BudgetNode}. */
final class ScopeAllocator implements BudgetScope {
    private final TrackingGlobalAllocator tracking;
    private final BudgetNode node;
    private final ScopeAllocator parent;
    /** Live blocks of this scope: address to size. Zero-size blocks are not kept. */
    private final Map<Long, Long> live = new ConcurrentHashMap<>();
    private final Set<ScopeAllocator> children = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ScopeAllocator(TrackingGlobalAllocator tracking, BudgetNode node, ScopeAllocator parent) {
        this.tracking = tracking;
        this.node = node;
        this.parent = parent;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        return allocate(layout, false);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        return allocate(layout, true);
    }

    private MemorySegment allocate(Layout layout, boolean zeroed) {
        checkOpen("allocate");
        MemorySegment block = tracking.allocate(layout, zeroed, node);
        if (layout.size() != 0) {
            live.put(block.address(), layout.size());
        }
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            tracking.deallocate(block, layout, null);
            return;
        }
        checkOwn(block, layout, "deallocate");
        tracking.deallocate(block, layout, node);
        live.remove(block.address());
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (layout.size() != 0) {
            checkOwn(block, layout, "reallocate");
        }
        if (newSize > layout.size()) {
            checkOpen("reallocate");
        }
        MemorySegment result = tracking.reallocate(block, layout, newSize, node);
        if (layout.size() != 0) {
            live.remove(block.address());
        }
        if (newSize != 0) {
            live.put(result.address(), newSize);
        }
        return result;
    }

    private void checkOwn(MemorySegment block, Layout layout, String operation) {
        Long size = live.get(block.address());
        if (size == null) {
            throw new AllocatorMisuseException(Kind.FOREIGN_BLOCK, name(), operation + " of block="
                    + CheckedBlocks.hex(block.address()) + ", " + layout + " not allocated by this scope");
        }
        if (size != layout.size()) {
            throw new AllocatorMisuseException(Kind.LAYOUT_MISMATCH, name(), operation + " of block="
                    + CheckedBlocks.hex(block.address()) + " with " + layout + "; it was allocated with size=" + size);
        }
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new AllocatorMisuseException(Kind.SCOPE, name(), operation + " in a closed scope");
        }
    }

    @Override
    public String name() {
        return tracking.name() + "/" + node.name;
    }

    @Override
    public long limit() {
        return node.limit;
    }

    @Override
    public long used() {
        return node.used();
    }

    @Override
    public BudgetScope openScope(String name, long limit) {
        checkOpen("openScope");
        ScopeAllocator child = new ScopeAllocator(tracking,
                new BudgetNode(Objects.requireNonNull(name, "name"), limit, node), this);
        children.add(child);
        return child;
    }

    @Override
    public LeakReport leaks() {
        Map<AllocationSite, long[]> sites = new HashMap<>();
        long blocks = 0;
        long bytes = 0;
        for (Map.Entry<Long, Long> entry : live.entrySet()) {
            blocks++;
            bytes += entry.getValue();
            AllocationSite site = tracking.siteOf(entry.getKey());
            if (site != null) {
                long[] sum = sites.computeIfAbsent(site, s -> new long[2]);
                sum[0]++;
                sum[1] += entry.getValue();
            }
        }
        return new LeakReport(name(), blocks, bytes, tracking.sampleEvery(), SampledBlocks.group(sites));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                throw new AllocatorMisuseException(Kind.SCOPE, name(), "close of a scope already closed");
            }
            for (ScopeAllocator child : children) {
                if (!child.closed) {
                    throw new AllocatorMisuseException(Kind.SCOPE, name(), "close while child scope '"
                            + child.node.name + "' is open; close it first");
                }
            }
            closed = true;
        }
        if (parent != null) {
            parent.children.remove(this);
        }
        if (!live.isEmpty()) {
            LeakReport report = leaks();
            TrackingEvents.leaksFound(report);
            throw new LeakException("scope '" + node.name + "' closed with live blocks", report);
        }
    }

    @Override
    public String toString() {
        return "BudgetScope[" + name() + ", limit=" + node.limit + ", used=" + node.used() + ", closed=" + closed + "]";
    }
}
