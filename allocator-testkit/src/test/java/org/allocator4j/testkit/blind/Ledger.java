package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.Layout;

/**
 * A checked mode's books: the layout of every live block by address, and the addresses freed since they
 * were last handed out. Not thread-safe: callers lock it.
 */
final class Ledger {
    private final String allocatorName;
    private final Map<Long, Layout> live = new HashMap<>();
    private final Map<Long, MemorySegment> blocks = new HashMap<>();
    private final Set<Long> freed = new HashSet<>();

    /** @param allocatorName the name the exceptions give */
    Ledger(String allocatorName) {
        this.allocatorName = allocatorName;
    }

    /**
     * Records a block just handed out.
     *
     * @param block  the block, as handed out
     * @param layout its layout
     */
    void handedOut(MemorySegment block, Layout layout) {
        live.put(block.address(), layout);
        blocks.put(block.address(), block);
        freed.remove(block.address());
    }

    /** {@return the live block at {@code address} as it was handed out, or null} @param address an address */
    MemorySegment blockAt(long address) {
        return blocks.get(address);
    }

    /** {@return the layout of the live block at {@code address}, or null} @param address an address */
    Layout layoutOf(long address) {
        return live.get(address);
    }

    /**
     * Checks that {@code address} is a live block of {@code layout} and records it freed.
     *
     * @param address      the block's address
     * @param layout       the layout the caller gives
     * @param checkLayout  whether a layout other than the recorded one is misuse
     * @return the recorded layout
     * @throws AllocatorMisuseException if the block was freed already, is not one of ours, or (if checked) the
     *                                  layout is not the recorded one; nothing is changed then
     */
    Layout free(long address, Layout layout, boolean checkLayout) {
        Layout recorded = live.get(address);
        if (recorded == null) {
            throw misuse(freed.contains(address) ? Kind.DOUBLE_FREE : Kind.FOREIGN_BLOCK, address, layout);
        }
        if (checkLayout && !recorded.equals(layout)) {
            throw new AllocatorMisuseException(Kind.LAYOUT_MISMATCH, allocatorName, "block 0x"
                    + Long.toHexString(address) + " of " + recorded + " freed as " + layout);
        }
        live.remove(address);
        blocks.remove(address);
        freed.add(address);
        return recorded;
    }

    /** Forgets {@code address} entirely (live or freed). @param address an address */
    void forget(long address) {
        live.remove(address);
        blocks.remove(address);
        freed.remove(address);
    }

    /**
     * {@return the exception for misuse of {@code kind} at {@code address}}
     *
     * @param kind    the broken rule
     * @param address the block's address
     * @param layout  the layout the caller gave
     */
    AllocatorMisuseException misuse(Kind kind, long address, Layout layout) {
        return new AllocatorMisuseException(kind, allocatorName,
                "block 0x" + Long.toHexString(address) + ", " + layout);
    }
}
