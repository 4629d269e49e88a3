package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;

/**
 * The {@link Zoo}'s animals of the checks for declared ranges, size and alignment together, accounting,
 * exhaustion, re-derived segments, misuse after other operations, default methods, high contention and
 * native memory: each must fail its check with a {@link ContractViolation} naming the rule.
 */
class CapabilityZooTest {

    static Stream<Arguments> zoo() {
        return Stream.of(
                Arguments.of(BigAlignmentsMisaligned.class, "allocate_declaredEdges_exactSizeAndAlignment", Rule.ALIGNMENT),
                Arguments.of(BigAlignmentsMisaligned.class, "allocate_powerOfTwoGrid_exactSizeAndAlignment", Rule.ALIGNMENT),
                Arguments.of(MimallocPowerOfTwoMisaligned.class, "allocate_powerOfTwoGrid_exactSizeAndAlignment",
                        Rule.ALIGNMENT),
                Arguments.of(LosesEvery32ndFree.class, "deallocate_steadyWorkload_nativeMemoryPlateaus", Rule.ACCOUNTING),
                Arguments.of(CacheLeaksWhenFull.class, "parent_steadyWorkload_parentHoldsAPlateauAndNothingAfterClose",
                        Rule.ACCOUNTING),
                Arguments.of(LeaksRecordOnFailedRealloc.class,
                        "parent_steadyWorkload_parentHoldsAPlateauAndNothingAfterClose", Rule.ACCOUNTING),
                Arguments.of(StaysExhausted.class, "allocate_untilParentExhausted_failsNamingItselfAndServesAgain",
                        Rule.EXHAUSTION),
                Arguments.of(KeepsHandedBackSegment.class, "operations_longRunOneInstance_keepEveryLaw", Rule.EXACT_SIZE),
                Arguments.of(CheckedRemembersLatestFreeOnly.class, "deallocate_twiceAfterOtherFrees_throwsDoubleFree",
                        Rule.MISUSE_DETECTED),
                Arguments.of(ArenaIgnoresAlignment.class, "openArena_anyLayouts_keepsTheLawsUntilClosed", Rule.ALIGNMENT),
                Arguments.of(HeapSegments.class, "allocate_anyLayout_exactSizeAndAlignment", Rule.NATIVE));
    }

    @ParameterizedTest(name = "{0} fails {1} with rule={2}")
    @MethodSource("zoo")
    void check_brokenAllocator_failsNamingTheRule(Class<?> contract, String check, Rule rule) {
        Throwable failure = ZooTest.failureOf(contract, check);
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation of rule=" + rule + ", got " + failure, failure);
        }
        assertEquals(rule, violation.rule(), violation::getMessage);
        assertTrue(violation.getMessage().contains("allocator 'zoo-"), violation::getMessage);
    }

    /**
     * The regression of Debian 12's mimalloc 2.0.9 (128-aligned blocks for power-of-two sizes 256..1024 at
     * alignments of 256 and more): the grid asks for every such pair in every run, so it is caught by rule
     * ALIGNMENT, naming a layout of that shape.
     */
    @Test
    void grid_mimalloc209Misalignment_caughtNamingTheLayout() {
        Throwable failure = ZooTest.failureOf(MimallocPowerOfTwoMisaligned.class,
                "allocate_powerOfTwoGrid_exactSizeAndAlignment");
        ContractViolation violation = (ContractViolation) failure;
        assertEquals(Rule.ALIGNMENT, violation.rule(), violation::getMessage);
        assertTrue(violation.getMessage().contains("Layout[size=256, alignment=256]"), violation::getMessage);
    }

    /** Races that need many threads in a hot class: the high-contention mode names the fault. */
    @Test
    void hotRun_racyFreeList_failsNamingABlockHandedOutTwice() {
        Throwable failure = ZooTest.failureOf(RacyFreeList.class, "operations_manyThreadsHotClasses_keepEveryLaw");
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation, got " + failure, failure);
        }
        assertTrue(Set.of(Rule.NO_OVERLAP, Rule.INTEGRITY).contains(violation.rule()), violation::getMessage);
        assertTrue(violation.getMessage().contains("threads"), violation::getMessage);
    }

    /** The original bump-pointer race is caught by the high-contention mode as well. */
    @Test
    void hotRun_racyBumpPointer_failsNamingABlockHandedOutTwice() {
        Throwable failure = ZooTest.failureOf(ZooTest.Racy.class, "operations_manyThreadsHotClasses_keepEveryLaw");
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation, got " + failure, failure);
        }
        assertTrue(Set.of(Rule.NO_OVERLAP, Rule.INTEGRITY).contains(violation.rule()), violation::getMessage);
    }

    // ---- one contract per animal

    static class BigAlignmentsMisaligned implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.BigAlignmentsMisaligned();
        }
    }

    static class MimallocPowerOfTwoMisaligned implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.MimallocPowerOfTwoMisaligned();
        }
    }

    static class LosesEvery32ndFree implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.LosesEvery32ndFree();
        }
    }

    /** An animal over a parent: {@code newAllocator()} puts it over {@code system}. */
    abstract static class OverParent implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return newAllocator(GlobalAllocator.system());
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().overParent();
        }
    }

    static class CacheLeaksWhenFull extends OverParent {
        @Override
        public GlobalAllocator newAllocator(GlobalAllocator parent) {
            return new Zoo.CacheLeaksWhenFull(parent);
        }
    }

    static class LeaksRecordOnFailedRealloc extends OverParent {
        @Override
        public GlobalAllocator newAllocator(GlobalAllocator parent) {
            return new Zoo.LeaksRecordOnFailedRealloc(parent);
        }
    }

    static class StaysExhausted extends OverParent {
        @Override
        public GlobalAllocator newAllocator(GlobalAllocator parent) {
            return new Zoo.StaysExhausted(parent);
        }
    }

    static class KeepsHandedBackSegment implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.KeepsHandedBackSegment();
        }
    }

    static class CheckedRemembersLatestFreeOnly implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.CheckedRemembersLatestFreeOnly();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withDetection(Kind.DOUBLE_FREE);
        }
    }

    static class ArenaIgnoresAlignment implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.ArenaIgnoresAlignment();
        }
    }

    static class RacyFreeList implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.RacyFreeList();
        }
    }

    static class HeapSegments implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.HeapSegments();
        }
    }
}
