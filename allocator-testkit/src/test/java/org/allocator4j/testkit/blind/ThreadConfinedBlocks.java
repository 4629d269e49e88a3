package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Serves small requests (up to 256 bytes, alignment up to 16) from a confined arena of the calling thread
 * ("a thread-local fast path"): the block is native, but its memory belongs to that thread's arena, so
 * any other thread's access throws {@link WrongThreadException}, although blocks may be handed to, and
 * freed by, any thread. The arenas are never closed (freeing a small block does nothing: another thread
 * could not close them), so their memory stays valid: a leak, not a crash.
 *
 * <p>Shows when: a small block is read, written, or reallocated from another thread than the one that
 * allocated it. Other requests, and one thread alone, are right.
 */
public final class ThreadConfinedBlocks extends Forwarding {
    private static final long SMALL = 256;
    private static final long MALLOC_ALIGNMENT = 16;
    private final ThreadLocal<Arena> arenas = ThreadLocal.withInitial(Arena::ofConfined);

    /** Creates it over {@code system}. */
    public ThreadConfinedBlocks() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ThreadConfinedBlocks(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (confined(layout)) {
            return arenas.get().allocate(layout.size(), layout.alignment()); // the bug: the thread's memory
        }
        return fromParent(layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        // every small layout is served from an arena, so no small free ever reaches the parent
        if (layout.size() == 0 || confined(layout)) {
            return;
        }
        parent.deallocate(block, layout);
    }

    private static boolean confined(Layout layout) {
        return layout.size() > 0 && layout.size() <= SMALL && layout.alignment() <= MALLOC_ALIGNMENT;
    }
}
