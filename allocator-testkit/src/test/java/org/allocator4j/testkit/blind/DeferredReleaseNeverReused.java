package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A per-layout cache of small blocks (up to 256 bytes) holding 32 blocks per layout; when a free finds the
 * cache full it moves the 16 oldest to a "deferred release" list meant to go back to the parent in the
 * background. Nothing ever drains that list except {@link #close()}, and allocation never looks at it, so
 * memory held grows without bound while the live set stays constant (tcache flush into a bin nobody reads).
 *
 * <p>Shows when: more than 32 small blocks of one layout are freed in a row, repeatedly: each round of
 * "allocate n, free n" with {@code n > 32} parks about {@code n - 32} more blocks. Only an observer of the
 * parent's (or the process's) memory over time sees it: at {@code close} everything goes back. Takes a
 * parent.
 */
public final class DeferredReleaseNeverReused extends Caching {
    private static final long SMALL = 256;
    private static final int KEPT = 32;
    private final LayoutCache deferred = new LayoutCache();

    /** Creates it over {@code system}. */
    public DeferredReleaseNeverReused() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public DeferredReleaseNeverReused(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0 || layout.size() > SMALL) {
            parent.deallocate(block, layout);
            return;
        }
        synchronized (cache) {
            if (cache.size(layout) >= KEPT) {
                ArrayDeque<MemorySegment> flushed = new ArrayDeque<>();
                for (int i = 0; i < KEPT; i++) {
                    flushed.addFirst(cache.poll(layout));
                }
                for (int i = 0; i < KEPT / 2; i++) {
                    cache.push(layout, flushed.pollFirst()); // the newest half stays
                }
                flushed.forEach(old -> deferred.push(layout, old)); // the bug: parked, never reused or released
            }
            cache.push(layout, block);
        }
    }

    /** Gives the cached and the deferred blocks back to the parent. */
    @Override
    public void close() {
        super.close();
        deferred.drainTo(parent);
    }
}
