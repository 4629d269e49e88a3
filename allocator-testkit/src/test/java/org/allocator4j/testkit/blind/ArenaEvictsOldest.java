package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@link #openArena()} with an arena that keeps at most 64 blocks "to bound its bookkeeping":
 * the 65th allocation frees the arena's oldest block while the arena, and that block's segment, are still
 * open. The freed block goes to this allocator's cache and is handed out again, so two live segments
 * share memory. Memory-safe: cached blocks stay this allocator's until {@link #close()}.
 *
 * <p>Shows when: an arena of {@code openArena()} hands out more than 64 segments and its oldest ones are
 * still used (their contents change under them once reused), or checked for overlap.
 */
public final class ArenaEvictsOldest extends Caching {
    private static final int KEPT = 64;

    /** Creates it over {@code system}. */
    public ArenaEvictsOldest() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ArenaEvictsOldest(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() > 0) {
            cache.push(layout, block); // kept until close: an evicted block may still be written
        }
    }

    @Override
    public Arena openArena() {
        return new HeldArena(this) {
            @Override
            public MemorySegment allocate(long byteSize, long byteAlignment) {
                MemorySegment block = take(Layout.of(byteSize, byteAlignment));
                if (heldCount() > KEPT) {
                    releaseOldest(); // the bug: freed while its segment is open
                }
                return scoped(block);
            }
        };
    }
}
