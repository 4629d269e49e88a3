package org.allocator4j.compare.replay;

/**
 * A batch of trace events in primitive arrays, refilled from the trace file between timed stretches: the
 * replay decodes a batch, then replays it, so that the time of a timed pass is the replay's alone and no
 * pass holds more than one batch of the trace in memory. Not thread-safe.
 */
final class EventBatch {
    /** Event kind: an allocation. */
    static final byte ALLOC = 1;
    /** Event kind: a free. */
    static final byte FREE = 2;
    /** Event kind: a reallocation. */
    static final byte REALLOC = 3;
    /** Events per batch: large enough that reading the clock per batch costs nothing, small in memory. */
    static final int CAPACITY = 8192;

    final byte[] kinds = new byte[CAPACITY];
    final byte[] alignLog2s = new byte[CAPACITY];
    final long[] ids = new long[CAPACITY];
    final long[] sizes = new long[CAPACITY];
    int length;

    /** Empties the batch. */
    void clear() {
        length = 0;
    }

    /** {@return whether the batch is full} */
    boolean full() {
        return length == CAPACITY;
    }

    /** Appends {@code alloc id size 2^alignLog2}. */
    void alloc(long id, long size, int alignLog2) {
        add(ALLOC, id, size, alignLog2);
    }

    /** Appends {@code free id}. */
    void free(long id) {
        add(FREE, id, 0, 0);
    }

    /** Appends {@code realloc id newSize}. */
    void realloc(long id, long newSize) {
        add(REALLOC, id, newSize, 0);
    }

    private void add(byte kind, long id, long size, int alignLog2) {
        kinds[length] = kind;
        ids[length] = id;
        sizes[length] = size;
        alignLog2s[length] = (byte) alignLog2;
        length++;
    }
}
