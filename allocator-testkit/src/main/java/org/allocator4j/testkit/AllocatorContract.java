package org.allocator4j.testkit;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.state.ActionChain;
import org.junit.jupiter.api.Test;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The conformance suite of {@link GlobalAllocator}: implement it in a test class, return a fresh allocator
 * from {@link #newAllocator()}, and every law is checked against it by jqwik.
 * {@snippet :
 * class MyAllocatorTest implements AllocatorContract {
 *     @Override public GlobalAllocator newAllocator() { return new MyAllocator(); }
 * }
 * }
 *
 * <p>Each check runs on a fresh allocator (per jqwik try) and is closed afterwards with
 * {@link #close(GlobalAllocator)}. A failure is a {@link ContractViolation}: its message names the
 * {@link Rule}, the allocator, the layout(s) and the operations that broke it, which jqwik shrinks to the
 * smallest failing sequence. Checks that do not apply to the allocator's {@link #capabilities()} are
 * reported as skipped with the reason.
 *
 * <p>Two levels, by the system property {@code allocator4j.testkit.level}: {@code default} (jqwik's
 * configured tries, bounded concurrency; for CI) and {@code deep} (10,000 tries per property, 10x the
 * concurrent rounds of 10x the operations, longer reuse and failure-injection runs: about 100x the work).
 * This project's {@code -Pdeep} profile sets it.
 *
 * <p>The properties are jqwik's; a test class implementing this interface needs the jqwik engine on the
 * test class path (a dependency on {@code allocator-testkit} brings it).
 */
public interface AllocatorContract {

    /** {@return a new allocator to check; called once per property try} */
    GlobalAllocator newAllocator();

    /**
     * {@return a new allocator over {@code parent}} Only called when {@link #capabilities()} declare
     * {@link Capabilities#overParent()}; the failure-injection check passes a parent that fails at the
     * k-th request and counts what is not given back.
     *
     * @implSpec The default throws {@link UnsupportedOperationException}.
     * @param parent the allocator the new one must take all its memory from
     */
    default GlobalAllocator newAllocator(GlobalAllocator parent) {
        throw new UnsupportedOperationException(getClass().getName()
                + " declares Capabilities.overParent() but does not override newAllocator(GlobalAllocator parent)");
    }

    /**
     * {@return what the allocator promises} Checks outside it are skipped, with the reason.
     *
     * @implSpec The default returns {@link Capabilities#standard()}.
     */
    default Capabilities capabilities() {
        return Capabilities.standard();
    }

    /**
     * Releases an allocator after a check, after every block was freed. An allocator over a parent must
     * give all of the parent's memory back here (the failure-injection check counts it).
     *
     * @implSpec The default closes the allocator if it is {@link AutoCloseable}, else does nothing.
     * @param allocator an allocator from {@link #newAllocator()} or {@link #newAllocator(GlobalAllocator)}
     * @throws Exception if closing fails
     */
    default void close(GlobalAllocator allocator) throws Exception {
        if (allocator instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // ---- layouts

    /**
     * {@return layouts within the capabilities: sizes 0..1 MiB skewed small, alignments up to the declared
     * maximum (sparsely past 64 KiB), size and alignment drawn together with the risky shapes weighted}
     */
    @Provide
    default Arbitrary<Layout> layouts() {
        return Layouts.any(capabilities());
    }

    /** {@return as {@link #layouts()}, with sizes up to the declared maximum (sparsely past 1 MiB)} */
    @Provide
    default Arbitrary<Layout> declaredLayouts() {
        return Layouts.declared(capabilities());
    }

    /** {@return non-empty lists of up to 24 layouts} */
    @Provide
    default Arbitrary<List<Layout>> layoutLists() {
        return layouts().list().ofMinSize(1).ofMaxSize(24);
    }

    /** {@return sizes for reallocation} */
    @Provide
    default Arbitrary<Long> sizes() {
        return Layouts.sizes(capabilities());
    }

    /** {@return requests no allocator can meet: 2^56 bytes and more} */
    @Provide
    default Arbitrary<Layout> impossibleLayouts() {
        return Layouts.impossible();
    }

    /** {@return random sequences of allocate, allocateZeroed, deallocate and reallocate} */
    @Provide
    default Arbitrary<ActionChain<?>> operationSequences() {
        return Sequences.chains(this).map(chain -> chain);
    }

    /**
     * A JUnit Jupiter test beside the jqwik checks, so that a build which finds the test class but not the
     * jqwik engine fails loudly instead of reporting success for a contract that never ran.
     */
    @Test
    default void contract_jqwikEngine_runsTheChecks() {
        try {
            Class.forName("net.jqwik.engine.JqwikTestEngine", false, AllocatorContract.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(getClass().getName() + ": the checks of AllocatorContract are jqwik properties,"
                    + " and the jqwik engine (net.jqwik:jqwik-engine, brought by net.jqwik:jqwik) is not on the test"
                    + " class path: none of them ran", e);
        }
    }

    // ---- the laws

    /** Exact size and alignment, native memory at its address, for random layouts up to the declared ranges. */
    @Property
    @LevelTries
    default void allocate_anyLayout_exactSizeAndAlignment(@ForAll("declaredLayouts") Layout layout) throws Exception {
        Checks.exactSizeAndAlignment(this, layout);
    }

    /**
     * Every edge of the declared ranges, in every run: the largest size at alignment 1 and at the largest
     * alignment, the largest alignment with sizes 0, 1, itself and one more (plain and zeroed).
     */
    @Example
    default void allocate_declaredEdges_exactSizeAndAlignment() throws Exception {
        Ranges.declaredEdges(this);
    }

    /**
     * Blocks held by their address only survive a garbage collection: their memory is the allocator's, not
     * the returned segment object's.
     */
    @Example
    default void allocate_blocksHeldByAddressOnly_surviveGarbageCollection() throws Exception {
        AddressOnly.run(this);
    }

    /** The power-of-two grid of size (up to 4 MiB) and alignment (up to the declared maximum), in every run. */
    @Example
    default void allocate_powerOfTwoGrid_exactSizeAndAlignment() throws Exception {
        Ranges.powerOfTwoGrid(this);
    }

    /** No two live blocks overlap, and each keeps its pattern while the others are allocated and freed. */
    @Property
    @LevelTries
    default void allocate_manyLiveBlocks_noOverlapAndIntact(@ForAll("layoutLists") List<Layout> layouts,
                                                            @ForAll long order) throws Exception {
        Checks.noOverlapAndIntegrity(this, layouts, order);
    }

    /** {@code allocateZeroed} gives zeros, also for memory that was just freed and dirtied. */
    @Property
    @LevelTries
    default void allocateZeroed_afterDirtyFrees_returnsZeros(@ForAll("layoutLists") List<Layout> layouts)
            throws Exception {
        Checks.zeroedAfterReuse(this, layouts);
    }

    /** {@code reallocate} keeps the contents up to min(old, new) on growth and shrink. */
    @Property
    @LevelTries
    default void reallocate_growOrShrink_keepsContents(@ForAll("layouts") Layout layout,
                                                       @ForAll("sizes") long newSize,
                                                       @ForAll("layouts") Layout neighbour) throws Exception {
        Checks.reallocateKeepsContents(this, layout, newSize, neighbour);
    }

    /** A failed {@code reallocate} leaves the old block untouched and owned by the caller. */
    @Property
    @LevelTries
    default void reallocate_impossibleSize_leavesOldBlockIntact(@ForAll("layouts") Layout layout,
                                                                @ForAll("impossibleLayouts") Layout impossible)
            throws Exception {
        Checks.reallocateFailureKeepsBlock(this, layout, impossible.size());
    }

    /** The zero-size rule: dangling blocks, no-op frees, reallocation from and to size 0. */
    @Property
    @LevelTries
    default void zeroSize_anyAlignment_followsTheZeroSizeRule(@ForAll @IntRange(max = 16) int alignmentShift,
                                                              @ForAll("sizes") long size) throws Exception {
        Checks.zeroSizeRule(this, 1L << alignmentShift, size);
    }

    /** Impossible requests throw {@code AllocationException} naming layout and allocator; it stays usable. */
    @Property
    @LevelTries
    default void allocate_impossibleRequest_throwsAllocationExceptionAndStaysUsable(
            @ForAll("impossibleLayouts") Layout layout, @ForAll boolean zeroed) throws Exception {
        Checks.impossibleRequest(this, layout, zeroed);
    }

    /** Invalid arguments fail with the documented exceptions and leave the allocator usable. */
    @Example
    default void allocate_invalidArguments_throwDocumentedExceptions() throws Exception {
        Checks.invalidArguments(this);
    }

    /** Stateful random sequences of every operation, shrunk to the smallest failing one. */
    @Property
    @LevelTries
    default void operations_randomSequence_keepEveryLaw(@ForAll("operationSequences") ActionChain<?> chain)
            throws Exception {
        Sequences.run(this, chain);
    }

    /**
     * A steady allocate/free loop of large blocks does not grow the process's resident memory unboundedly
     * (for {@link Freeing#LAST_ONLY} too: the block freed is always the most recent one).
     */
    @Example
    @Requires(freeing = {Freeing.INDIVIDUALLY, Freeing.LAST_ONLY}, residentMemory = true)
    default void deallocate_steadyLoop_residentMemoryStaysBounded() throws Exception {
        Checks.reuseBounded(this, TestLevel.current());
    }

    /**
     * Exact accounting over a counting parent: the same steady workload of small blocks through every path
     * (allocate, allocateZeroed, reallocate grow/shrink/to 0/failing, failing allocate, deallocate), run
     * again and again, leaves the parent at a plateau; after {@code close} it holds nothing.
     */
    @Example
    @Requires(parent = true)
    default void parent_steadyWorkload_parentHoldsAPlateauAndNothingAfterClose() throws Exception {
        Accounting.overCountingParent(this, TestLevel.current());
    }

    /**
     * The same steady workload, for an allocator without a parent: the process's native memory (malloc in
     * use, byte-exact, plus direct memory) plateaus.
     */
    @Example
    @Requires(freeing = Freeing.INDIVIDUALLY, mallocStatistics = true, noParent = true)
    default void deallocate_steadyWorkload_nativeMemoryPlateaus() throws Exception {
        Accounting.nativeMemory(this, TestLevel.current());
    }

    /**
     * Genuine exhaustion over a parent limited to 64 MiB: the failure names the request and this allocator;
     * once everything is freed it serves again.
     */
    @Example
    @Requires(parent = true, freeing = Freeing.INDIVIDUALLY)
    default void allocate_untilParentExhausted_failsNamingItselfAndServesAgain() throws Exception {
        Exhaustion.run(this);
    }

    /**
     * One allocator instance through a long run: 70,000 allocations (700,000 deep) of hot sizes through
     * every path, while 256 blocks allocated first stay live to the end.
     */
    @Example
    default void operations_longRunOneInstance_keepEveryLaw() throws Exception {
        Checks.onFresh(this, heap -> SteadyWorkload.longRun(heap, capabilities(), TestLevel.current()));
    }

    /** {@code asSegmentAllocator()}, default or overridden: exact, aligned, disjoint, global-scope blocks. */
    @Property
    @LevelTries
    default void asSegmentAllocator_anyLayouts_keepsTheLaws(@ForAll("layoutLists") List<Layout> layouts)
            throws Exception {
        DefaultMethods.segmentAllocator(this, layouts);
    }

    /** {@code openArena()}, default or overridden: the laws, confinement, and no access after close. */
    @Property
    @LevelTries
    default void openArena_anyLayouts_keepsTheLawsUntilClosed(@ForAll("layoutLists") List<Layout> layouts)
            throws Exception {
        DefaultMethods.arena(this, layouts);
    }

    /** A parent failing at the k-th request, for every k of a short run: clean propagation, no leak. */
    @Example
    @Requires(parent = true)
    default void parent_failsAtEveryRequest_failurePropagatesAndNothingLeaks() throws Exception {
        FailureInjection.run(this, TestLevel.current());
    }

    /** Two threads doing random operations, handing blocks over and freeing each other's blocks. */
    @Example
    @Requires(threadSafe = true)
    default void operations_twoThreads_keepEveryLaw() throws Exception {
        ConcurrentRun.rounds(this, 2, TestLevel.current());
    }

    /** Four threads, as {@link #operations_twoThreads_keepEveryLaw()}. */
    @Example
    @Requires(threadSafe = true)
    default void operations_fourThreads_keepEveryLaw() throws Exception {
        ConcurrentRun.rounds(this, 4, TestLevel.current());
    }

    /** Eight threads, as {@link #operations_twoThreads_keepEveryLaw()}. */
    @Example
    @Requires(threadSafe = true)
    default void operations_eightThreads_keepEveryLaw() throws Exception {
        ConcurrentRun.rounds(this, 8, TestLevel.current());
    }

    /**
     * High contention: more threads than cores and more than 8, fresh in each time-bounded phase, on hot
     * size classes of one allocator instance, until it served at least 65,536 allocations.
     */
    @Example
    @Requires(threadSafe = true)
    default void operations_manyThreadsHotClasses_keepEveryLaw() throws Exception {
        HotRun.run(this, TestLevel.current());
    }

    // ---- checked mode

    /** A second deallocate (or a reallocate) of a freed block is reported as {@code DOUBLE_FREE}; nothing is corrupted. */
    @Property
    @LevelTries
    @Requires(detects = Kind.DOUBLE_FREE)
    default void deallocate_twice_throwsDoubleFree(@ForAll("layouts") Layout layout, @ForAll boolean viaReallocate,
                                                   @ForAll boolean zeroed) throws Exception {
        Misuse.doubleFree(this, layout, 0, viaReallocate, zeroed);
    }

    /**
     * A double free (or a reallocate of a freed block) after 1 to 8 other blocks of its layout were freed,
     * so that a check remembering only the latest free forgets it, is reported as {@code DOUBLE_FREE}.
     */
    @Property
    @LevelTries
    @Requires(detects = Kind.DOUBLE_FREE, knownFailures = true)
    default void deallocate_twiceAfterOtherFrees_throwsDoubleFree(@ForAll("layouts") Layout layout,
                                                                  @ForAll @IntRange(min = 1, max = 8) int freesBetween,
                                                                  @ForAll boolean viaReallocate,
                                                                  @ForAll boolean zeroed) throws Exception {
        Misuse.doubleFree(this, layout, freesBetween, viaReallocate, zeroed);
    }

    /** A segment the allocator never gave out (or an interior address) is reported as {@code FOREIGN_BLOCK}. */
    @Property
    @LevelTries
    @Requires(detects = Kind.FOREIGN_BLOCK)
    default void deallocate_foreignSegment_throwsForeignBlock(@ForAll("layouts") Layout layout,
                                                             @ForAll boolean interior,
                                                             @ForAll boolean viaReallocate) throws Exception {
        Misuse.foreignBlock(this, layout, interior, viaReallocate);
    }

    /** Freeing with another size or alignment is reported as {@code LAYOUT_MISMATCH}; the block stays owned. */
    @Property
    @LevelTries
    @Requires(detects = Kind.LAYOUT_MISMATCH)
    default void deallocate_wrongLayout_throwsLayoutMismatch(@ForAll("layouts") Layout layout,
                                                            @ForAll boolean wrongAlignment,
                                                            @ForAll boolean viaReallocate) throws Exception {
        Misuse.layoutMismatch(this, layout, wrongAlignment, viaReallocate);
    }

    /**
     * A byte written into a freed block is reported as {@code USE_AFTER_FREE}: by one of the next
     * 4096 allocate+free pairs of the same layout, or at the latest when the allocator is
     * {@linkplain #close(GlobalAllocator) closed}. An allocator that declares this detection keeps freed
     * memory (a quarantine) until it has checked it, so the write lands in memory it still owns; a segment
     * whose scope closes on free refuses the write, and passes.
     */
    @Property
    @LevelTries
    @Requires(detects = Kind.USE_AFTER_FREE)
    default void deallocate_thenWriteToFreedBlock_reportsUseAfterFree(@ForAll("layouts") Layout layout,
                                                                      @ForAll boolean zeroed,
                                                                      @ForAll boolean atTheEnd) throws Exception {
        Misuse.useAfterFree(this, layout, zeroed, atTheEnd);
    }

    /**
     * A byte written just past a block (from allocate or allocateZeroed) is reported as {@code OVERRUN}
     * when the block is freed or reallocated, also after other operations in between.
     */
    @Property
    @LevelTries
    @Requires(detects = Kind.OVERRUN)
    default void deallocate_afterOverrun_throwsOverrun(@ForAll("layouts") Layout layout,
                                                       @ForAll boolean viaReallocate, @ForAll boolean zeroed,
                                                       @ForAll @IntRange(max = 8) int operationsBetween)
            throws Exception {
        Misuse.overrun(this, layout, viaReallocate, zeroed, operationsBetween);
    }
}
