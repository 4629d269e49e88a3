package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * The testkit's own proof of power: every allocator of the {@link Zoo} breaks one rule, and running the
 * check for that rule through the JUnit Platform must fail with a {@link ContractViolation} naming it.
 * A suite that passes a broken allocator is a bug in the testkit.
 */
class ZooTest {

    static Stream<Arguments> zoo() {
        return Stream.of(
                Arguments.of(OffByOne.class, "allocate_anyLayout_exactSizeAndAlignment", Rule.EXACT_SIZE),
                Arguments.of(Misaligned.class, "allocate_anyLayout_exactSizeAndAlignment", Rule.ALIGNMENT),
                Arguments.of(Overlapping.class, "allocate_manyLiveBlocks_noOverlapAndIntact", Rule.NO_OVERLAP),
                Arguments.of(Scribbling.class, "allocate_manyLiveBlocks_noOverlapAndIntact", Rule.INTEGRITY),
                Arguments.of(ZeroedNotZeroedAfterReuse.class, "allocateZeroed_afterDirtyFrees_returnsZeros",
                        Rule.ZEROED),
                Arguments.of(ReallocDropsLastByte.class, "reallocate_growOrShrink_keepsContents",
                        Rule.REALLOC_CONTENTS),
                Arguments.of(ReallocFailureClobbers.class, "reallocate_impossibleSize_leavesOldBlockIntact",
                        Rule.REALLOC_FAILURE),
                Arguments.of(ZeroSizeNotDangling.class, "zeroSize_anyAlignment_followsTheZeroSizeRule",
                        Rule.ZERO_SIZE),
                Arguments.of(WrongExceptionType.class,
                        "allocate_impossibleRequest_throwsAllocationExceptionAndStaysUsable", Rule.FAILURE_EXCEPTION),
                Arguments.of(Leaking.class, "deallocate_steadyLoop_residentMemoryStaysBounded", Rule.REUSE_BOUNDED),
                Arguments.of(LeaksOnParentFailure.class, "parent_failsAtEveryRequest_failurePropagatesAndNothingLeaks",
                        Rule.FAILURE_INJECTION),
                Arguments.of(CheckedMissesDoubleFree.class, "deallocate_twice_throwsDoubleFree", Rule.MISUSE_DETECTED),
                Arguments.of(CheckedMissesUseAfterFree.class, "deallocate_thenWriteToFreedBlock_reportsUseAfterFree",
                        Rule.MISUSE_DETECTED),
                Arguments.of(UnstableName.class, "name_everyCall_validAndStable", Rule.PROVIDER),
                Arguments.of(Unregistered.class, "serviceLoader_classPath_findsTheProviderOnce", Rule.PROVIDER),
                Arguments.of(Unregistered.class, "serviceLoader_modulePath_findsTheProviderInAModuleLayer",
                        Rule.PROVIDER),
                Arguments.of(OffByOne.class, "operations_randomSequence_keepEveryLaw", Rule.EXACT_SIZE),
                Arguments.of(ReallocDropsLastByte.class, "operations_randomSequence_keepEveryLaw",
                        Rule.REALLOC_CONTENTS));
    }

    /**
     * A race that hands one address to two threads shows as whichever law sees it first: NO_OVERLAP when
     * both blocks are live in the checker at once, or, when one thread's block was between its
     * reallocate's start and end (out of the live set, still being copied), REALLOC_CONTENTS or INTEGRITY
     * as the other thread's writes land in it. All three are that one fault; seen at the deep level.
     */
    @Test
    void check_racyAllocator_failsNamingABlockHandedOutTwice() {
        Throwable failure = failureOf(Racy.class, "operations_eightThreads_keepEveryLaw");
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation, got " + failure, failure);
        }
        assertTrue(Set.of(Rule.NO_OVERLAP, Rule.REALLOC_CONTENTS, Rule.INTEGRITY).contains(violation.rule()),
                violation::getMessage);
        assertTrue(violation.getMessage().contains("allocator 'zoo-Racy'"), violation::getMessage);
        assertTrue(violation.getMessage().contains("threads"), violation::getMessage);
    }

    @ParameterizedTest(name = "{0} fails {1} with rule={2}")
    @MethodSource("zoo")
    void check_brokenAllocator_failsNamingTheRule(Class<?> contract, String check, Rule rule) {
        Throwable failure = failureOf(contract, check);
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation of rule=" + rule + ", got " + failure, failure);
        }
        assertEquals(rule, violation.rule(), violation::getMessage);
        assertTrue(violation.getMessage().startsWith("rule=" + rule + " "), violation::getMessage);
        assertTrue(violation.getMessage().contains("allocator 'zoo-"), violation::getMessage);
        assertTrue(violation.getMessage().contains(rule.description()), violation::getMessage);
    }

    @Test
    void sequence_offByOne_shrinksToOneAllocation() {
        Throwable failure = failureOf(OffByOne.class, "operations_randomSequence_keepEveryLaw");
        List<String> operations = failure.getMessage().lines()
                .filter(line -> line.matches(" {4}\\d+\\. .*")).toList();
        assertEquals(1, operations.size(), failure::getMessage);
        assertTrue(operations.get(0).contains("allocate"), failure::getMessage);
    }

    @Test
    void sequence_reallocDropsLastByte_shrinksFromUpTo40ToAFewOperations() {
        Throwable failure = failureOf(ReallocDropsLastByte.class, "operations_randomSequence_keepEveryLaw");
        List<String> operations = failure.getMessage().lines()
                .filter(line -> line.matches(" {4}\\d+\\. .*")).toList();
        assertTrue(operations.size() <= 12, failure::getMessage);
        assertTrue(failure.getMessage().contains("reallocate("), failure::getMessage);
    }

    @Test
    void checkedModeCheck_allocatorWithoutCheckedMode_isSkippedWithReason() {
        EngineExecutionResults results = run(SystemAllocatorContractTest.class, "deallocate_twice_throwsDoubleFree");
        List<Event> skipped = results.testEvents().skipped().list();
        assertEquals(1, skipped.size(), () -> results.allEvents().list().toString());
        String reason = skipped.get(0).getPayload(String.class).orElse("");
        assertTrue(reason.contains("DOUBLE_FREE"), reason);
    }

    /**
     * The runs of each zoo check: 1, or the system property {@value #RUNS_PROPERTY} (e.g. 10, to show that
     * an animal is caught in every run, not by luck); each run has its own random seed.
     */
    static final String RUNS_PROPERTY = "allocator4j.testkit.zooRuns";

    static int runs() {
        return Integer.getInteger(RUNS_PROPERTY, 1);
    }

    /** {@return the failure of the first run} @throws AssertionError if any of the {@link #runs()} passed */
    static Throwable failureOf(Class<?> contract, String check) {
        Throwable first = null;
        for (int run = 1; run <= runs(); run++) {
            EngineExecutionResults results = run(contract, check);
            List<Event> failed = results.testEvents().failed().list();
            if (failed.isEmpty()) {
                fail(contract.getSimpleName() + " passed " + check + " in run " + run + " of " + runs()
                        + ": the testkit missed a broken allocator; events: " + results.allEvents().list());
            }
            Throwable thrown = failed.get(0).getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .orElseThrow();
            first = first == null ? thrown : first;
        }
        if (runs() > 1) {
            System.out.println("zoo " + contract.getSimpleName() + " " + check + ": caught in " + runs() + " of " + runs());
        }
        return first;
    }

    static EngineExecutionResults run(Class<?> contract, String check) {
        Method method = Arrays.stream(contract.getMethods())
                .filter(m -> m.getName().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + check));
        return EngineTestKit.engine("jqwik")
                // Detection, not depth: the zoo runs at the default tries at every level (deep too).
                .configurationParameter("jqwik.tries.default", "100")
                .configurationParameter("jqwik.database", "target/jqwik-zoo-database")
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                // Shrinking is bounded by time (10 s by default): on a loaded machine it stopped early and
                // left 13 operations where sequence_reallocDropsLastByte_... expects a few. The zoo checks
                // what shrinking finds, so give it time to finish (it usually takes 1-3 s).
                .configurationParameter("jqwik.shrinking.bounded.seconds", "120")
                .selectors(DiscoverySelectors.selectMethod(contract, method))
                .execute();
    }

    // ---- one contract per animal

    static class OffByOne implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.OffByOne();
        }
    }

    static class Misaligned implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.Misaligned();
        }
    }

    static class Overlapping implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.Overlapping();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withFreeing(Freeing.ON_RESET_ONLY);
        }
    }

    static class Scribbling implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.Scribbling();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withFreeing(Freeing.ON_RESET_ONLY);
        }
    }

    static class Racy implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.Racy();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withFreeing(Freeing.ON_RESET_ONLY);
        }
    }

    static class ZeroedNotZeroedAfterReuse implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.ZeroedNotZeroedAfterReuse();
        }
    }

    static class ReallocDropsLastByte implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.ReallocDropsLastByte();
        }
    }

    static class ReallocFailureClobbers implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.ReallocFailureClobbers();
        }
    }

    static class ZeroSizeNotDangling implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.ZeroSizeNotDangling();
        }
    }

    static class WrongExceptionType implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.WrongExceptionType();
        }
    }

    static class Leaking implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.Leaking();
        }
    }

    static class LeaksOnParentFailure implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.LeaksOnParentFailure(GlobalAllocator.system());
        }

        @Override
        public GlobalAllocator newAllocator(GlobalAllocator parent) {
            return new Zoo.LeaksOnParentFailure(parent);
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().overParent();
        }
    }

    static class CheckedMissesDoubleFree implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.CheckedMissesDoubleFree();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withDetection(Kind.DOUBLE_FREE);
        }
    }

    static class CheckedMissesUseAfterFree implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return new Zoo.CheckedMissesUseAfterFree();
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.standard().withDetection(Kind.USE_AFTER_FREE);
        }
    }

    // ---- broken providers

    static class UnstableName implements ProviderContract {
        @Override
        public GlobalAllocatorProvider provider() {
            return new GlobalAllocatorProvider() {
                private int calls;

                @Override
                public String name() {
                    return "zoo-unstable-" + (calls++ % 2);
                }

                @Override
                public GlobalAllocator create() {
                    return GlobalAllocator.system();
                }
            };
        }
    }

    /** A provider listed in no META-INF/services file. */
    public static final class UnregisteredProvider implements GlobalAllocatorProvider {
        @Override
        public String name() {
            return "zoo-unregistered";
        }

        @Override
        public GlobalAllocator create() {
            return GlobalAllocator.system();
        }
    }

    static class Unregistered implements ProviderContract {
        @Override
        public GlobalAllocatorProvider provider() {
            return new UnregisteredProvider();
        }
    }
}
