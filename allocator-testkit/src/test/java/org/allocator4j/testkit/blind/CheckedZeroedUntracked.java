package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A checked mode whose {@code allocateZeroed} takes a separate "calloc" path with books of its own: a
 * zeroed block freed with the wrong layout is not reported (it is freed with the recorded one), and a
 * zeroed block freed twice is reported as {@code FOREIGN_BLOCK}, not {@code DOUBLE_FREE}, because the
 * calloc books forget it on the first free. Blocks from {@code allocate} are checked right.
 *
 * <p>Shows when: the misused block came from {@code allocateZeroed}. Declares
 * {@link Ledgered#capabilities()}: detects {@code DOUBLE_FREE}, {@code FOREIGN_BLOCK} and
 * {@code LAYOUT_MISMATCH}.
 */
public final class CheckedZeroedUntracked extends Ledgered {
    private final Map<Long, Layout> zeroed = new HashMap<>();

    /** Creates it over {@code system}. */
    public CheckedZeroedUntracked() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedZeroedUntracked(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        MemorySegment block = fromParent(layout).fill((byte) 0);
        if (layout.size() > 0) {
            synchronized (ledger) {
                ledger.forget(block.address());
                zeroed.put(block.address(), layout);
            }
        }
        return block;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        Layout recorded;
        synchronized (ledger) {
            recorded = zeroed.remove(block.address()); // the bug: unchecked, and not remembered as freed
            if (recorded == null) {
                recorded = ledger.free(block.address(), layout, true);
            }
        }
        parent.deallocate(block, recorded);
    }
}
