package org.allocator4j.slab;

import java.util.ArrayDeque;

/**
 * The magazine layer of one size class (Bonwick's magazines, tcmalloc's transfer cache): full
 * magazines of {@link #magazineSize} block addresses that thread caches flushed, handed whole to the next
 * thread cache that refills. A block freed by one thread so reaches another thread's cache by two array
 * copies, without its memory being touched (no free-list link is written or read).
 *
 * <p>Bounded: at most {@value #MAGAZINES} full magazines; when it is full, flushes go to the slabs' free
 * lists instead. A depot no refill took from during a whole decay period gives its blocks back to the
 * slabs ({@link #drainIfUnused()}).
 *
 * @implNote Thread-safe through this object's monitor, held for one array copy per magazine. Empty
 * magazines are kept for reuse, so a steady flow allocates nothing.
 */
final class Depot {
    static final int MAGAZINES = 4;

    /** Blocks per magazine: half a platform thread's cache of this class, what one flush or refill moves. */
    final int magazineSize;
    private final ArrayDeque<long[]> full = new ArrayDeque<>();
    private final ArrayDeque<long[]> empty = new ArrayDeque<>();
    private boolean used;

    Depot(int magazineSize) {
        this.magazineSize = magazineSize;
    }

    /**
     * Takes {@code blocks[from..from+magazineSize)} as one full magazine.
     *
     * @return false if the depot is full (the caller gives the blocks to the slabs instead)
     */
    synchronized boolean offer(long[] blocks, int from) {
        if (full.size() >= MAGAZINES) {
            return false;
        }
        long[] magazine = empty.pollFirst();
        if (magazine == null) {
            magazine = new long[magazineSize];
        }
        System.arraycopy(blocks, from, magazine, 0, magazineSize);
        full.addFirst(magazine);
        return true;
    }

    /**
     * Copies one full magazine into {@code out[from..from+magazineSize)}.
     *
     * @return whether there was one
     */
    synchronized boolean take(long[] out, int from) {
        long[] magazine = full.pollFirst();
        if (magazine == null) {
            return false;
        }
        System.arraycopy(magazine, 0, out, from, magazineSize);
        empty.addFirst(magazine);
        used = true;
        return true;
    }

    /** {@return the blocks in full magazines, to give back to the slabs; the depot is empty after} */
    synchronized long[][] drain() {
        long[][] drained = full.toArray(new long[0][]);
        full.clear(); // the arrays leave with the caller, who returns them through recycle()
        return drained;
    }

    /** {@return like {@link #drain()}, if no refill took a magazine since the last call; else nothing} */
    synchronized long[][] drainIfUnused() {
        boolean wasUsed = used;
        used = false;
        return wasUsed ? new long[0][] : drain();
    }

    /** Keeps drained magazines for reuse. */
    synchronized void recycle(long[][] magazines) {
        for (long[] magazine : magazines) {
            empty.addFirst(magazine);
        }
    }

    /** {@return the number of blocks in full magazines} */
    synchronized long blocks() {
        return (long) full.size() * magazineSize;
    }
}
