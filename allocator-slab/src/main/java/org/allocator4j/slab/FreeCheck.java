package org.allocator4j.slab;

import java.util.concurrent.ThreadLocalRandom;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.Layout;

/**
 * The hardened free: checks that a freed address is the start of a block of the layout's class in a live
 * slab, and that the block is not free already, before the block goes into a cache.
 *
 * <p>What is checked, on every free of a small block ({@link #checkAndMark}):
 * <ol>
 *   <li>the slab: {@code address & -slabBytes} is the base of a live slab of the layout's class
 *       ({@link SlabMap}, one hash probe); else the address is foreign (never from this allocator, memory
 *       of another allocator or arena, address 0, or a block whose slab went back to the parent), or in a
 *       slab of another class (a wrong layout);</li>
 *   <li>the start: the offset into the slab is a multiple of the class size, below the slab's block count
 *       (a multiply by a precomputed reciprocal, no division); else it is an interior pointer;</li>
 *   <li>not free already: the slab has blocks out, and the block's <i>free mark</i> is not set. The mark is
 *       the word at bytes 8..16 of the block ({@link #MARK_OFFSET}; bytes 0..8 hold the slabs' free-list
 *       link), set to {@code key ^ address} on free and cleared when the block is handed out again
 *       ({@link #unmark}); {@code key} is random per allocator and odd, so a mark is never 0 and never
 *       the mark of another block. This is glibc's tcache key, without its confirming scan: a live block
 *       whose caller wrote exactly its free mark there would be reported as a double free (one chance in
 *       2<sup>64</sup> for data not read out of a freed block).</li>
 * </ol>
 * Nothing is written before every check passed, so a rejected free changes no state of the allocator.
 *
 * <p>Not checked: a wrong layout of the same class (harmless: the block is freed as the class it is in);
 * the free of a block that was handed out again to another caller (no allocator can tell that from a
 * legitimate free); a double free of a block the caller wrote into after the first free (the mark is
 * gone); large blocks, which go to the parent (as {@code system}, which has no table to check).
 *
 * @implNote The mark is read only in a slab the map holds and that has blocks out, so the memory is the
 * allocator's. A double free racing a {@code trim()} that returns the same slab can still read a slab the
 * parent just took back (the window between the two checks): misuse racing misuse-free code, documented
 * rather than locked against.
 */
final class FreeCheck {
    /** Where the free mark is: bytes 8..16 of a free block. */
    static final long MARK_OFFSET = 8;
    /** Reciprocals are {@code ceil(2^SHIFT / size)}: exact division for offsets below 2^24 and sizes to 2^15. */
    private static final int SHIFT = 40;

    private final String allocatorName;
    private final SlabMap slabs;
    private final ClassPool[] pools;
    private final long[] reciprocal;
    private final long key;

    FreeCheck(String allocatorName, SlabMap slabs, ClassPool[] pools) {
        this.allocatorName = allocatorName;
        this.slabs = slabs;
        this.pools = pools;
        this.reciprocal = new long[pools.length];
        for (int c = 0; c < pools.length; c++) {
            long size = pools[c].blockSize;
            // offset * reciprocal / 2^SHIFT = offset / size + an error below offset / 2^SHIFT <= 2^-16 for
            // offsets below 16 MiB (the largest slab), less than the 1 / size (>= 2^-15) a fraction needs.
            reciprocal[c] = ((1L << SHIFT) + size - 1) / size;
        }
        this.key = ThreadLocalRandom.current().nextLong() | 1;
    }

    /**
     * Checks the free of {@code address} with {@code layout} of class {@code c}, then sets its free mark.
     *
     * @throws AllocatorMisuseException of kind {@code FOREIGN_BLOCK} if the address is in no live slab of
     *                                  this allocator, or is inside a block but not its start
     * @throws AllocatorMisuseException of kind {@code LAYOUT_MISMATCH} if it is in a slab of another class
     * @throws AllocatorMisuseException of kind {@code DOUBLE_FREE} if the block is free already
     */
    void checkAndMark(long address, int c, Layout layout) {
        ClassPool pool = pools[c];
        Slab slab = slabs.get(address & -pool.slabBytes);
        if (slab == null || slab.pool != pool) {
            throw notInClass(address, c, layout);
        }
        long offset = address - slab.base;
        long index = (offset * reciprocal[c]) >>> SHIFT;
        if (index * pool.blockSize != offset || index >= slab.blockCount) {
            throw notAStart(address, slab, index, layout);
        }
        long mark = key ^ address;
        // Outstanding first: with no block out, every block is in the slab, and the slab may be going back.
        if (slab.outstandingVolatile() == 0 || NativeMemory.getLong(address + MARK_OFFSET) == mark) {
            throw new AllocatorMisuseException(Kind.DOUBLE_FREE, allocatorName, "block address=0x"
                    + Long.toHexString(address) + " freed with layout=" + layout + " is free already (class size="
                    + pool.blockSize + ", slab base=0x" + Long.toHexString(slab.base) + "); expected a block "
                    + "allocated and not yet freed");
        }
        NativeMemory.putLong(address + MARK_OFFSET, mark);
    }

    /** Clears the free mark of a block being handed out. */
    static void unmark(long address) {
        NativeMemory.putLong(address + MARK_OFFSET, 0);
    }

    private AllocatorMisuseException notInClass(long address, int c, Layout layout) {
        // Is it in a slab of another class? (A wrong layout: slab sizes differ between classes, so look at each.)
        for (ClassPool other : pools) {
            Slab slab = slabs.get(address & -other.slabBytes);
            if (slab != null && slab.pool == other && other != pools[c]) {
                return new AllocatorMisuseException(Kind.LAYOUT_MISMATCH, allocatorName, "block address=0x"
                        + Long.toHexString(address) + " freed with layout=" + layout + " (class size="
                        + pools[c].blockSize + ") is in a slab of class size=" + other.blockSize + " (base=0x"
                        + Long.toHexString(slab.base) + "); expected the layout it was allocated with");
            }
        }
        return new AllocatorMisuseException(Kind.FOREIGN_BLOCK, allocatorName, "address=0x"
                + Long.toHexString(address) + " freed with layout=" + layout + " is in no live slab of this "
                + "allocator (found none at base=0x" + Long.toHexString(address & -pools[c].slabBytes)
                + " for class size=" + pools[c].blockSize + "); expected a block this allocator returned and "
                + "not yet freed (memory of another allocator or arena, or address 0, lands here; so does a "
                + "second free after the block's slab went back to the parent)");
    }

    private AllocatorMisuseException notAStart(long address, Slab slab, long index, Layout layout) {
        long start = slab.base + index * slab.blockSize;
        String found = index < slab.blockCount
                ? "offset=" + (address - start) + " into the block at address=0x" + Long.toHexString(start)
                : "in the slab's unused tail after its " + slab.blockCount + " blocks";
        return new AllocatorMisuseException(Kind.FOREIGN_BLOCK, allocatorName, "address=0x"
                + Long.toHexString(address) + " freed with layout=" + layout + " is not the start of a block: "
                + found + " (class size=" + slab.blockSize + "); expected the address this allocator returned");
    }
}
