package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

/**
 * A bounded LIFO of blocks with no synchronisation at all, correct only while one thread at a time uses
 * it. Under a race two pops can return the same block and a push can be lost; {@code top} stays within
 * {@code 0..DEPTH} whatever the interleaving (every write is a value just read plus or minus one, bounds
 * checked), and an entry not yet visible reads as a miss.
 */
final class RacyStack {
    /** How many blocks a stack holds. */
    static final int DEPTH = 64;
    private final MemorySegment[] items = new MemorySegment[DEPTH];
    private int top;

    /** {@return the most recently pushed block, or null} */
    MemorySegment pop() {
        int t = top;
        if (t == 0) {
            return null;
        }
        MemorySegment block = items[t - 1];
        Thread.yield(); // widens the window between the read and the write of top, as a preemption would
        top = t - 1;
        return block;
    }

    /** {@return whether {@code block} was pushed (false: the stack is full)} @param block a block */
    boolean push(MemorySegment block) {
        int t = top;
        if (t >= DEPTH) {
            return false;
        }
        items[t] = block;
        top = t + 1;
        return true;
    }
}
