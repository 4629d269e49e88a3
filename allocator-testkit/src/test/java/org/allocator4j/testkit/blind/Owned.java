package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Every block an entry ever got from its parent, by address, given back only when the entry is closed.
 * Entries whose bug can hand one block out twice (or free a live one) keep their memory here, so that
 * the bug stays a wrong answer: a block is never given back to the parent while anyone may still use it.
 */
final class Owned {
    private record Held(MemorySegment block, Layout layout) {
    }

    private final Map<Long, Held> held = new ConcurrentHashMap<>();

    /**
     * {@return {@code block}, recorded} Call it with a block just got from the parent.
     *
     * @param block  the block
     * @param layout the layout the parent allocated it with
     */
    MemorySegment record(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            held.put(block.address(), new Held(block, layout));
        }
        return block;
    }

    /**
     * {@return the block recorded at {@code address}, as the parent returned it, or null}
     *
     * @param address an address
     */
    MemorySegment block(long address) {
        Held h = held.get(address);
        return h == null ? null : h.block();
    }

    /**
     * {@return the layout the block at {@code address} was got with, or null}
     *
     * @param address an address
     */
    Layout layout(long address) {
        Held h = held.get(address);
        return h == null ? null : h.layout();
    }

    /**
     * Gives every recorded block back to {@code parent}, each once, and forgets them.
     *
     * @param parent the allocator they came from
     */
    void releaseAllTo(GlobalAllocator parent) {
        held.values().forEach(h -> parent.deallocate(h.block(), h.layout()));
        held.clear();
    }
}
