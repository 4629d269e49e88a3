package org.allocator4j.slab;

import java.util.List;

/**
 * A snapshot of a slab allocator's memory. Counters are read one after another while other threads may
 * allocate, so a snapshot taken under load is approximate; one taken at rest is exact.
 *
 * @param inUseBytes    bytes in blocks held by callers: small blocks at their class size, plus large blocks
 * @param cachedBytes   bytes in free blocks sitting in thread caches and the classes' depots
 * @param retainedBytes bytes held from the parent: every slab, plus large blocks
 * @param largeBytes    bytes in large blocks (passed straight to the parent)
 * @param classes       one entry per size class that has a slab
 */
public record SlabStatistics(long inUseBytes, long cachedBytes, long retainedBytes, long largeBytes,
                             List<ClassStatistics> classes) {

    /** Copies the class list. */
    public SlabStatistics {
        classes = List.copyOf(classes);
    }

    /**
     * {@return the share of retained memory not in use by callers, {@code 1 - inUse / retained}, in [0, 1];
     * 0 when nothing is retained}
     */
    public double fragmentation() {
        return retainedBytes == 0 ? 0 : Math.max(0, 1 - (double) inUseBytes / retainedBytes);
    }

    /**
     * The counters of one size class.
     *
     * @param blockSize     the class's block size in bytes
     * @param slabBytes     the size of each of its slabs
     * @param slabs         slabs held from the parent
     * @param emptySlabs    of those, slabs with every block free, waiting for their decay
     * @param blocksInUse   blocks held by callers
     * @param blocksCached  free blocks in thread caches and the class's depot
     */
    public record ClassStatistics(int blockSize, long slabBytes, long slabs, long emptySlabs,
                                  long blocksInUse, long blocksCached) {
    }
}
