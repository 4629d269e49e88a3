package org.allocator4j.compare.replay;

import java.util.Arrays;

/**
 * The blocks a replay holds, keyed by the trace's block id: an open-addressing hash table of primitive
 * arrays (linear probing, deletion by backward shift, no tombstones), so that a trace of millions of live
 * blocks costs no object per block and nothing per event. Each slot holds the id, the block's address, its
 * size and log2 of its alignment: 25 bytes, at a load of at most one half.
 *
 * <p>Callers look a block up with {@link #find(long)}, which returns a slot index (negative when absent),
 * then read it or {@link #remove(int)} it. Not thread-safe: one replaying thread.
 */
final class LiveBlocks {
    private static final long EMPTY = 0;
    private static final int MIN_CAPACITY = 16;

    private long[] keys;      // id + 1; EMPTY for a free slot
    private long[] addresses;
    private long[] sizes;
    private byte[] alignLog2s;
    private int mask;
    private int count;
    private long bytes;

    /**
     * @param expected the most blocks expected live at once (the trace's summary knows it); the table
     *                 grows past it if need be
     */
    LiveBlocks(long expected) {
        long capacity = MIN_CAPACITY;
        while (capacity < 2 * expected && capacity < 1 << 30) {
            capacity <<= 1;
        }
        allocate((int) capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        addresses = new long[capacity];
        sizes = new long[capacity];
        alignLog2s = new byte[capacity];
        mask = capacity - 1;
    }

    /** {@return the number of live blocks} */
    int count() {
        return count;
    }

    /** {@return the sum of the live blocks' sizes} */
    long bytes() {
        return bytes;
    }

    /** {@return the slot of block {@code id}, or a negative value if it is not live} */
    int find(long id) {
        long key = id + 1;
        int slot = home(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return slot;
            }
            if (k == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Adds block {@code id}, which must not be live.
     *
     * @return its slot, valid until the next {@code put} or {@code remove}
     */
    int put(long id, long address, long size, long alignment) {
        if (2 * (count + 1) > keys.length) {
            grow();
        }
        long key = id + 1;
        int slot = home(key);
        while (keys[slot] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        addresses[slot] = address;
        sizes[slot] = size;
        alignLog2s[slot] = (byte) Long.numberOfTrailingZeros(alignment);
        count++;
        bytes += size;
        return slot;
    }

    /** {@return the block id in {@code slot}} */
    long id(int slot) {
        return keys[slot] - 1;
    }

    /** {@return the address of the block in {@code slot}} */
    long address(int slot) {
        return addresses[slot];
    }

    /** {@return the size of the block in {@code slot}} */
    long size(int slot) {
        return sizes[slot];
    }

    /** {@return the alignment of the block in {@code slot}} */
    long alignment(int slot) {
        return 1L << alignLog2s[slot];
    }

    /** Sets the address and size of the block in {@code slot} (after a reallocation). */
    void update(int slot, long address, long size) {
        bytes += size - sizes[slot];
        addresses[slot] = address;
        sizes[slot] = size;
    }

    /** Removes the block in {@code slot}; other slots may move. */
    void remove(int slot) {
        bytes -= sizes[slot];
        count--;
        int hole = slot;
        int next = slot;
        while (true) {
            next = (next + 1) & mask;
            long key = keys[next];
            if (key == EMPTY) {
                break;
            }
            int home = home(key);
            // Move next into the hole unless its home lies cyclically in (hole, next].
            boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays) {
                keys[hole] = key;
                addresses[hole] = addresses[next];
                sizes[hole] = sizes[next];
                alignLog2s[hole] = alignLog2s[next];
                hole = next;
            }
        }
        keys[hole] = EMPTY;
    }

    /** {@return the number of slots: with {@link #occupied(int)}, to visit every block before a {@link #clear()}} */
    int capacity() {
        return keys.length;
    }

    /** {@return whether {@code slot} holds a block} */
    boolean occupied(int slot) {
        return keys[slot] != EMPTY;
    }

    /** Forgets every block, keeping the capacity. */
    void clear() {
        Arrays.fill(keys, EMPTY);
        count = 0;
        bytes = 0;
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldAddresses = addresses;
        long[] oldSizes = sizes;
        byte[] oldAligns = alignLog2s;
        if (oldKeys.length >= 1 << 30) {
            throw new IllegalStateException("live blocks=" + count + " exceed the table's limit of 2^29");
        }
        allocate(oldKeys.length * 2);
        count = 0;
        bytes = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i] - 1, oldAddresses[i], oldSizes[i], 1L << oldAligns[i]);
            }
        }
    }
}
