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
    DEFAULT(4_000, 3, 256, 48, 8, 65_536, 262_144, 70_000, 4, 250),
    /** About 100x the default (the accounting and long runs about 10x, the high-contention phases 10x longer). */
    DEEP(40_000, 30, 4_096, 400, 24, 262_144, 1_048_576, 700_000, 8, 2_000);

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

    /** Phases of the accounting checks, each the same steady workload. */
    final int accountingPhases;
    /** Allocations per accounting phase over a counting parent (exact: a leak shows at once). */
    final int accountingAllocations;
    /** Allocations per accounting phase watched through the process's native memory (a leak must beat its noise). */
    final int nativeAllocations;
    /** Allocations of the long run on one allocator instance. */
    final int longRunAllocations;
    /** Phases of the high-contention check, each with fresh threads on the same allocator instance. */
    final int hotPhases;
    /** The time bound of one high-contention phase, in milliseconds (the threads stop at it). */
    final int hotPhaseMillis;

    TestLevel(int operationsPerThread, int concurrentRounds, int reuseIterations, int maxInjectionPoints,
              int accountingPhases, int accountingAllocations, int nativeAllocations, int longRunAllocations,
              int hotPhases,
              int hotPhaseMillis) {
        this.operationsPerThread = operationsPerThread;
        this.concurrentRounds = concurrentRounds;
        this.reuseIterations = reuseIterations;
        this.maxInjectionPoints = maxInjectionPoints;
        this.accountingPhases = accountingPhases;
        this.accountingAllocations = accountingAllocations;
        this.nativeAllocations = nativeAllocations;
        this.longRunAllocations = longRunAllocations;
        this.hotPhases = hotPhases;
        this.hotPhaseMillis = hotPhaseMillis;
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
