package org.allocator4j.testkit;

import java.util.Locale;

/**
 * How hard the contract works: {@link #DEFAULT} (fast and bounded, for CI) or {@link #DEEP} (about 100x the
 * work), chosen by the system property {@value #PROPERTY} ({@code -Pdeep} sets it to {@code deep}). jqwik's
 * tries follow its own {@code jqwik.tries.default}, which {@code -Pdeep} raises from 100 to 10000; this
 * level scales what is not a jqwik try: concurrent operations, reuse loops, failure-injection points.
 */
enum TestLevel {
    /** The CI level. */
    DEFAULT(4_000, 3, 256, 48),
    /** About 100x the default. */
    DEEP(40_000, 30, 4_096, 400);

    /** The system property that selects the level: {@code default} or {@code deep}. */
    static final String PROPERTY = "allocator4j.testkit.level";

    /** Operations per thread in one concurrent round. */
    final int operationsPerThread;
    /** Concurrent rounds (each with its own seed) per thread count. */
    final int concurrentRounds;
    /** Iterations of the reuse loop, each allocating and freeing one large block. */
    final int reuseIterations;
    /** The largest failure-injection point tried (k of "fail at the k-th parent request"). */
    final int maxInjectionPoints;

    TestLevel(int operationsPerThread, int concurrentRounds, int reuseIterations, int maxInjectionPoints) {
        this.operationsPerThread = operationsPerThread;
        this.concurrentRounds = concurrentRounds;
        this.reuseIterations = reuseIterations;
        this.maxInjectionPoints = maxInjectionPoints;
    }

    /** {@return the level the system property selects, {@link #DEFAULT} when unset} */
    static TestLevel current() {
        String value = System.getProperty(PROPERTY, "default").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "default" -> DEFAULT;
            case "deep" -> DEEP;
            default -> throw new IllegalArgumentException(
                    PROPERTY + "=" + value + " is not a level; expected 'default' or 'deep'");
        };
    }
}
