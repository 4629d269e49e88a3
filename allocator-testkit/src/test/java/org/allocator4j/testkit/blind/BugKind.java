package org.allocator4j.testkit.blind;

/** The nine kinds of bug the blind zoo plants. */
public enum BugKind {
    /** Wrong only at the edges of the declared range: alignments of 128 KiB..1 MiB, sizes of 2 MiB..1 GiB. */
    EDGE_OF_RANGE,
    /** Wrong only at particular size/alignment pairings (size == alignment, page edges, powers of two). */
    SIZE_ALIGNMENT_PAIRING,
    /** Memory kept that should have been given back, visible only to a careful observer. */
    LEAK,
    /** Broken after genuine exhaustion of a declared capacity, or the wrong exception on it. */
    EXHAUSTION_RECOVERY,
    /** Works only when handed the very {@code MemorySegment} object it returned. */
    SEGMENT_IDENTITY,
    /** A checked (misuse-detecting) mode with a gap in what it declares it detects. */
    CHECKED_MODE_GAP,
    /** An overridden default method ({@code asSegmentAllocator}, {@code openArena}, ...) that breaks the contract. */
    OVERRIDDEN_DEFAULT,
    /** A race or wrap-around that needs real contention or a long run to show. */
    CONCURRENCY,
    /** Memory that is not really native, or not owned the way its address says. */
    NOT_NATIVE
}
