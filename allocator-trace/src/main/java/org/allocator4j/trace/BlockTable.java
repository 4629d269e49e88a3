package org.allocator4j.trace;

import java.util.Arrays;

/**
 * A map from {@code long} keys (block ids, addresses) to non-negative {@code long} values (ids, sizes),
 * without an object per entry: open addressing with linear probing in two parallel arrays, grown at 1/2 load,
 * entries removed by backward shift. What a streaming reader keeps of the blocks that are live, about
 * 32 bytes per live block at most (a {@code HashMap<Long, Long>} takes about 80).
 *
 * @implNote Not thread-safe.
 */
public final class BlockTable {
    /** What {@link #get}, {@link #put} and {@link #remove} return for a key that is not in the table. */
    public static final long ABSENT = -1;
    private static final long FREE = Long.MIN_VALUE; // a slot's key when the slot is empty
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private long[] values;
    private int size;
    private boolean hasFreeKey; // the key Long.MIN_VALUE, kept outside the arrays
    private long freeKeyValue;

    /** Creates an empty table. */
    public BlockTable() {
        keys = new long[MIN_CAPACITY];
        values = new long[MIN_CAPACITY];
        Arrays.fill(keys, FREE);
    }

    /** {@return the number of keys in the table} */
    public int size() {
        return size + (hasFreeKey ? 1 : 0);
    }

    /** {@return the value of {@code key}, or {@link #ABSENT}} */
    public long get(long key) {
        if (key == FREE) {
            return hasFreeKey ? freeKeyValue : ABSENT;
        }
        for (int i = slot(key); ; i = (i + 1) & (keys.length - 1)) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == FREE) {
                return ABSENT;
            }
        }
    }

    /**
     * Maps {@code key} to {@code value}.
     *
     * @return the previous value of {@code key}, or {@link #ABSENT}
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public long put(long key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value=" + value + " of key=" + key + " is negative; expected >= 0");
        }
        if (key == FREE) {
            long previous = hasFreeKey ? freeKeyValue : ABSENT;
            hasFreeKey = true;
            freeKeyValue = value;
            return previous;
        }
        for (int i = slot(key); ; i = (i + 1) & (keys.length - 1)) {
            long k = keys[i];
            if (k == key) {
                long previous = values[i];
                values[i] = value;
                return previous;
            }
            if (k == FREE) {
                keys[i] = key;
                values[i] = value;
                if (++size > keys.length / 2) {
                    grow();
                }
                return ABSENT;
            }
        }
    }

    /** Removes {@code key}; {@return its value, or {@link #ABSENT} if it was not in the table} */
    public long remove(long key) {
        if (key == FREE) {
            long previous = hasFreeKey ? freeKeyValue : ABSENT;
            hasFreeKey = false;
            return previous;
        }
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == FREE) {
                return ABSENT;
            }
            if (k == key) {
                long previous = values[i];
                shiftBack(i);
                size--;
                return previous;
            }
        }
    }

    /** Empties slot {@code hole} and moves back the entries after it that probed past it. */
    private void shiftBack(int hole) {
        int mask = keys.length - 1;
        for (int i = (hole + 1) & mask; keys[i] != FREE; i = (i + 1) & mask) {
            int home = slot(keys[i]);
            // the entry at i may fill the hole if its home is not in (hole, i], cyclically
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        keys[hole] = FREE;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, FREE);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != FREE) {
                int i = slot(oldKeys[j]);
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: ids and addresses are far from random
        return (int) (h >>> 32 ^ h) & (keys.length - 1);
    }
}
