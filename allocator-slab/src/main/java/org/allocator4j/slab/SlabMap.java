package org.allocator4j.slab;

/**
 * Finds the slab of a block by address: an open-addressing hash table from a slab's base address to the
 * {@link Slab}, read without a lock and written under this object's monitor.
 *
 * <p>A block's slab base is its address rounded down to the slab size of its class (slabs are aligned
 * to their size, and sized deallocation gives the class), so the lookup key is exact. Lookups happen when
 * a thread cache flushes blocks back, never on the allocation fast path.
 *
 * @implNote Readers see a table through a volatile field. A writer adds into the current table by one
 * plain store of a fully built {@code Slab} (final fields, safe publication by the final-field rule; a
 * reader looks only for slabs it holds blocks of, which were added before those blocks were handed out,
 * with a lock release/acquire in between). Removal leaves a tombstone. Growth and purging of tombstones
 * build a new table and publish it by the volatile write.
 */
final class SlabMap {
    private static final Slab TOMBSTONE = new Slab(-1, 1, 1, null);

    private volatile Slab[] table = new Slab[64];
    private int used;   // live entries + tombstones, under the monitor
    private int live;

    /** {@return the slab whose base is {@code base}, or null} */
    Slab get(long base) {
        Slab[] t = table;
        int mask = t.length - 1;
        for (int i = hash(base) & mask; ; i = (i + 1) & mask) {
            Slab s = t[i];
            if (s == null) {
                return null;
            }
            if (s.base == base) {
                return s;
            }
        }
    }

    synchronized void put(Slab slab) {
        if ((used + 1) * 2 > table.length) {
            rebuild(live + 1 > table.length / 4 ? table.length * 2 : table.length);
        }
        Slab[] t = table;
        int mask = t.length - 1;
        int i = hash(slab.base) & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = slab;
        used++;
        live++;
    }

    synchronized void remove(Slab slab) {
        Slab[] t = table;
        int mask = t.length - 1;
        for (int i = hash(slab.base) & mask; t[i] != null; i = (i + 1) & mask) {
            if (t[i] == slab) {
                t[i] = TOMBSTONE;
                live--;
                return;
            }
        }
    }

    synchronized int size() {
        return live;
    }

    private void rebuild(int capacity) {
        Slab[] old = table;
        Slab[] t = new Slab[capacity];
        int mask = capacity - 1;
        for (Slab s : old) {
            if (s != null && s != TOMBSTONE) {
                int i = hash(s.base) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = s;
            }
        }
        used = live;
        table = t; // publishes the new table with its entries
    }

    private static int hash(long base) {
        // Bases are multiples of at least 4 KiB: mix the high bits down (Fibonacci hashing).
        return (int) ((base * 0x9E3779B97F4A7C15L) >>> 32);
    }
}
