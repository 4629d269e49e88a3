package org.allocator4j.slab;

/**
 * The size classes of small blocks: the math from a request's size and alignment to a class index and
 * back, and nothing else.
 *
 * <p>Classes run from {@value #MIN_SIZE} to {@value #MAX_SIZE} bytes with four classes per doubling, as
 * jemalloc's: 16, 32, 48, 64, then for every {@code 2^k >= 64} the four sizes
 * {@code 2^k + j * 2^(k-2)}, {@code j = 1..4} (80, 96, 112, 128, 160, 192, ..., 28672, 32768). A request
 * rounded up to its class wastes less than 20% of the class (exactly: less than {@code 2^(k-2)} of a class
 * above {@code 2^k}), and at most 15 bytes below 64.
 *
 * <p><b>Alignment.</b> Slabs are aligned to their size and carved from offset 0, so a block of class
 * {@code c} is aligned to the largest power of two dividing {@code c} ({@link #alignmentOf(int)}), at least
 * 16. A request aligned to more picks the smallest class at least as large whose size that alignment
 * divides; when there is none (alignment above {@value #MAX_SIZE}, or size above it), the request is large.
 *
 * @implNote {@link #of(long, long)} is on every allocation's path: sizes up to {@value #TABLE_LIMIT} bytes
 * are looked up in a table by 16-byte granule; larger ones take a few bit operations.
 */
final class SizeClass {
    /** The smallest class, in bytes; also the alignment every class has. */
    static final int MIN_SIZE = 16;
    /** The largest class, in bytes; larger requests go to the parent allocator. */
    static final int MAX_SIZE = 32 * 1024;
    /** The number of classes. */
    static final int COUNT;
    /** {@link #of} returns this for a request that no class serves (zero size, or large). */
    static final int NONE = -1;

    private static final int TABLE_LIMIT = 1 << 12;
    private static final int[] SIZES;
    /** Class index by 16-byte granule: {@code BY_GRANULE[(size + 15) >>> 4]} for {@code size <= TABLE_LIMIT}. */
    private static final byte[] BY_GRANULE;

    static {
        int[] sizes = new int[64];
        int n = 0;
        for (int s = MIN_SIZE; s <= 64; s += 16) {
            sizes[n++] = s;
        }
        for (int pow = 64; pow < MAX_SIZE; pow <<= 1) {
            for (int j = 1; j <= 4; j++) {
                sizes[n++] = pow + j * (pow >>> 2);
            }
        }
        SIZES = java.util.Arrays.copyOf(sizes, n);
        COUNT = n;
        BY_GRANULE = new byte[TABLE_LIMIT / 16 + 1];
        for (int g = 0; g < BY_GRANULE.length; g++) {
            BY_GRANULE[g] = (byte) computeIndex(Math.max(1, g * 16L));
        }
    }

    private SizeClass() {
    }

    /**
     * {@return the class serving {@code size} bytes aligned to {@code alignment}, or {@link #NONE} if the
     * request is zero-size or large}
     *
     * @param size      the size of a valid {@code Layout}, {@code >= 0}
     * @param alignment its alignment, a power of two
     */
    static int of(long size, long alignment) {
        // (size - 1) >>> 12 == 0 is 1 <= size <= TABLE_LIMIT: size 0 wraps to -1 and takes the slow path.
        if (((size - 1) >>> 12) == 0 && alignment <= MIN_SIZE) {
            return BY_GRANULE[(int) (size + 15) >>> 4];
        }
        return ofSlow(size, alignment);
    }

    private static int ofSlow(long size, long alignment) {
        if (size == 0 || size > MAX_SIZE || alignment > MAX_SIZE) {
            return NONE;
        }
        // Every class is a multiple of 16; for more alignment, start at the alignment (a class itself, as
        // a power of two >= 16) or the size, and step up to the first class the alignment divides. Classes
        // above 4 * alignment all are multiples of it, so this takes at most four steps.
        int index = computeIndex(Math.max(size, alignment));
        while ((SIZES[index] & (alignment - 1)) != 0) {
            index++;
        }
        return index;
    }

    /** {@return the smallest class of at least {@code size} bytes, {@code 1 <= size <= MAX_SIZE}} */
    private static int computeIndex(long size) {
        if (size <= 64) {
            return (int) ((size + 15) >>> 4) - 1;
        }
        int k = 63 - Long.numberOfLeadingZeros(size - 1); // 2^k < size <= 2^(k+1), k >= 6
        long step = 1L << (k - 2);
        int j = (int) ((size - (1L << k) + step - 1) >>> (k - 2)); // 1..4
        return 4 + (k - 6) * 4 + j - 1;
    }

    /** {@return the size in bytes of class {@code index}} */
    static int size(int index) {
        return SIZES[index];
    }

    /** {@return the alignment every block of class {@code index} has: the largest power of two dividing its size} */
    static int alignmentOf(int index) {
        return Integer.lowestOneBit(SIZES[index]);
    }
}
