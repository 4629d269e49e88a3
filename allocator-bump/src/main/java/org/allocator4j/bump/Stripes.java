package org.allocator4j.bump;

/**
 * How virtual threads are spread over a fixed set of shared things (the global allocator's chunks, the
 * scoped arenas' slots): twice the processors of them, rounded up to a power of two, the one a thread
 * starts at picked from its id.
 *
 * <p>Twice the processors, as the JDK's pooled confined arenas give virtual threads: no more virtual
 * threads run at once than there are carriers (the processors, by default), so two running threads meet
 * on one thing about as rarely as two carriers would on a table of twice their number.
 */
final class Stripes {
    /** Twice the processors, rounded up to a power of two. */
    static final int COUNT = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;

    private Stripes() {
    }

    /**
     * {@return the stripe of {@code threadId} among {@code mask + 1}} Fibonacci hashing: consecutive ids
     * (virtual threads started in a row) land on different stripes.
     */
    static int of(long threadId, int mask) {
        return (int) ((threadId * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
