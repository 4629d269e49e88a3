package org.allocator4j.nativebridge;

import org.allocator4j.api.Layout;

/**
 * The layout of every live pointer a bridge handed to C, so that C's unsized {@code free(ptr)} can call
 * the allocator's sized {@code deallocate}: a striped hash table from address to packed layout.
 *
 * <p>Stripes are picked by the address's hash; each is an open-addressing table (linear probing,
 * backward-shift deletion) guarded by its own monitor, so threads freeing different blocks rarely meet.
 * The stripe count scales with cores, never with threads.
 *
 * <p>A layout is packed into one {@code long}: the size in the low {@value #SIZE_BITS} bits, the
 * alignment's base-2 logarithm in the high 8. The packed value is never 0 (every stored block has
 * size >= 1), so 0 means "absent".
 *
 * @implNote Thread-safe. {@link #remove(long)} is the one operation that takes a block out, so of two
 * threads freeing the same pointer (a double free in C) exactly one finds it.
 */
final class PointerTable {
    /** Bits of the packed value that hold the size: sizes up to 2^56 - 1 bytes can be recorded. */
    static final int SIZE_BITS = 56;
    /** The largest size a packed value holds. */
    static final long MAX_SIZE = (1L << SIZE_BITS) - 1;

    private final Stripe[] stripes;
    private final int stripeShift;

    PointerTable() {
        // Four stripes per core, at least 16, a power of two: contention stays low with every core freeing.
        int wanted = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
        int count = Integer.highestOneBit(wanted - 1) << 1;
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe();
        }
        stripeShift = 64 - Integer.numberOfTrailingZeros(count);
    }

    /** {@return {@code layout} packed; the caller checked {@code layout.size()} is in 1..{@link #MAX_SIZE}} */
    static long pack(Layout layout) {
        return layout.size() | ((long) Long.numberOfTrailingZeros(layout.alignment()) << SIZE_BITS);
    }

    /** {@return the layout of a packed value from this table} */
    static Layout unpack(long packed) {
        return new Layout(packed & MAX_SIZE, 1L << (packed >>> SIZE_BITS));
    }

    /** {@return the size of a packed value from this table} */
    static long size(long packed) {
        return packed & MAX_SIZE;
    }

    /** Records a new live block; {@code address} is not in the table (the allocator just returned it). */
    void put(long address, long packed) {
        long hash = hash(address);
        stripes[(int) (hash >>> stripeShift)].put(address, hash, packed);
    }

    /** {@return the packed layout of {@code address}, removed from the table, or 0 if it is not there} */
    long remove(long address) {
        long hash = hash(address);
        return stripes[(int) (hash >>> stripeShift)].remove(address, hash);
    }

    /** {@return the packed layout of {@code address}, or 0 if it is not there} */
    long get(long address) {
        long hash = hash(address);
        return stripes[(int) (hash >>> stripeShift)].get(address, hash);
    }

    /** {@return the number of live blocks} Exact while no thread allocates or frees. */
    long liveBlocks() {
        long sum = 0;
        for (Stripe stripe : stripes) {
            sum += stripe.count();
        }
        return sum;
    }

    /** {@return the bytes of the live blocks} Exact while no thread allocates or frees. */
    long liveBytes() {
        long sum = 0;
        for (Stripe stripe : stripes) {
            sum += stripe.bytes();
        }
        return sum;
    }

    private static long hash(long address) {
        // Blocks are at least 16-aligned: drop the four zero bits, then Fibonacci hashing spreads the rest;
        // the high bits pick the stripe, the middle bits the slot, so the two choices are independent.
        return (address >>> 4) * 0x9E3779B97F4A7C15L;
    }

    /** One stripe: keys and packed layouts in two parallel arrays, guarded by this object's monitor. */
    private static final class Stripe {
        private static final int INITIAL_CAPACITY = 16;

        private long[] keys = new long[INITIAL_CAPACITY];
        private long[] values = new long[INITIAL_CAPACITY];
        private int count;
        private long bytes;

        synchronized void put(long address, long hash, long packed) {
            if (2 * (count + 1) > keys.length) {
                grow(); // load factor kept at most 1/2: probe sequences stay short
            }
            insert(keys, values, address, hash, packed);
            count++;
            bytes += size(packed);
        }

        synchronized long get(long address, long hash) {
            int mask = keys.length - 1;
            for (int i = slot(hash, mask); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == address) {
                    return values[i];
                }
            }
            return 0;
        }

        synchronized long remove(long address, long hash) {
            int mask = keys.length - 1;
            int i = slot(hash, mask);
            while (keys[i] != address) {
                if (keys[i] == 0) {
                    return 0;
                }
                i = (i + 1) & mask;
            }
            long packed = values[i];
            // Backward-shift deletion: move later entries of the probe run into the hole when their home
            // slot is not between the hole and them, so no tombstones are needed.
            int hole = i;
            for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
                int home = slot(hash(keys[j]), mask);
                boolean homeInRange = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (!homeInRange) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    hole = j;
                }
            }
            keys[hole] = 0;
            values[hole] = 0;
            count--;
            bytes -= size(packed);
            return packed;
        }

        synchronized int count() {
            return count;
        }

        synchronized long bytes() {
            return bytes;
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            long[] newKeys = new long[oldKeys.length * 2];
            long[] newValues = new long[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    insert(newKeys, newValues, oldKeys[i], hash(oldKeys[i]), oldValues[i]);
                }
            }
            keys = newKeys;
            values = newValues;
        }

        private static void insert(long[] keys, long[] values, long address, long hash, long packed) {
            int mask = keys.length - 1;
            int i = slot(hash, mask);
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = address;
            values[i] = packed;
        }

        private static int slot(long hash, int mask) {
            return (int) (hash >>> 20) & mask;
        }
    }
}
