package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Tracks small blocks (up to 256 bytes) by a 16-bit handle, the low 16 bits of an allocation counter,
 * indexing a table of 65,536 entries; freed small blocks are cached per layout for reuse. After 65,536
 * small allocations the counter wraps: a block still live from before takes the same handle as a new one,
 * and when the old block is freed the table gives the <em>new</em> block instead, which goes to the cache
 * while still live and is handed out again (two live blocks at one address); the old block is never
 * reused. Memory-safe: small blocks stay this allocator's until {@link #close()}.
 *
 * <p>Shows when: a small block stays live across 65,536 further small allocations on the same instance
 * and is then freed, and the block that took its handle is still live when its layout is asked again.
 * Takes a parent.
 */
public final class Wrap16Handles extends Forwarding implements AutoCloseable {
    private static final long SMALL = 256;
    private static final int HANDLES = 1 << 16;

    private record Entry(MemorySegment block, Layout layout) {
    }

    private final Entry[] table = new Entry[HANDLES];
    private final Map<Long, Character> handles = new HashMap<>();
    private final LayoutCache cache = new LayoutCache();
    private final Owned owned = new Owned();
    private char next;

    /** Creates it over {@code system}. */
    public Wrap16Handles() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public Wrap16Handles(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        if (layout.size() == 0 || layout.size() > SMALL) {
            return fromParent(layout);
        }
        MemorySegment block = cache.poll(layout);
        if (block == null) {
            block = owned.record(fromParent(layout), layout);
        }
        char handle = next++; // the bug: wraps at 65,536 while old handles are live
        table[handle] = new Entry(block, layout);
        handles.put(block.address(), handle);
        return block;
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return;
        }
        if (layout.size() > SMALL) {
            parent.deallocate(block, layout);
            return;
        }
        Character handle = handles.remove(block.address());
        if (handle != null) {
            Entry entry = table[handle];
            cache.push(entry.layout(), entry.block());
        }
    }

    /** Gives every small block back to the parent, each once. */
    @Override
    public synchronized void close() {
        owned.releaseAllTo(parent);
    }
}
