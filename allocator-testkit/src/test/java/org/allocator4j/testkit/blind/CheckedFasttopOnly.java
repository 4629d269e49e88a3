package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * A checked mode after glibc's fastbin "double free or corruption (fasttop)" check: freed blocks go to a
 * per-layout bin for reuse, and a double free is detected only when the block is the top of its bin, the
 * most recently freed block of that layout. {@code free(a); free(b); free(a)} passes: {@code a} goes into
 * the bin twice and is later handed to two callers (memory-safe: binned blocks stay the allocator's until
 * {@link #close()}).
 *
 * <p>Shows when: a block is freed twice with another block of the same layout freed in between. Declares
 * {@link #capabilities()}: detects {@code DOUBLE_FREE}.
 */
public final class CheckedFasttopOnly extends Forwarding implements AutoCloseable {
    private final LayoutCache bins = new LayoutCache();
    private final Owned owned = new Owned();

    /** Creates it over {@code system}. */
    public CheckedFasttopOnly() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedFasttopOnly(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return standard capabilities over a parent, detecting {@code DOUBLE_FREE}} */
    public static Capabilities capabilities() {
        return Capabilities.standard().withDetection(Kind.DOUBLE_FREE).overParent();
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        MemorySegment binned = bins.poll(layout);
        if (binned != null) {
            return binned;
        }
        return owned.record(fromParent(layout), layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        MemorySegment own = owned.block(block.address());
        if (own == null) {
            return; // not one of ours: undefined behaviour, and nothing is detected for it
        }
        Layout binLayout = owned.layout(block.address());
        synchronized (bins) {
            MemorySegment top = bins.peek(binLayout);
            if (top != null && top.address() == own.address()) { // the bug: only the top is checked
                throw new AllocatorMisuseException(Kind.DOUBLE_FREE, name(),
                        "block 0x" + Long.toHexString(own.address()) + " is the last freed " + binLayout);
            }
            bins.push(binLayout, own);
        }
    }

    /** Gives every block back to the parent, each once. */
    @Override
    public void close() {
        owned.releaseAllTo(parent);
    }
}
