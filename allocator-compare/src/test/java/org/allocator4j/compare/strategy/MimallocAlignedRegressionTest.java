package org.allocator4j.compare.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.ContractViolation;
import org.allocator4j.testkit.Rule;

/**
 * Debian 12's mimalloc 2.0.9 {@code mi_malloc_aligned} returns 128-aligned blocks for power-of-two sizes
 * 256..1024 at alignments of 256 and more. The conformance suite, given exactly those layouts (few enough
 * for jqwik to try every one, so every run tries the failing ones), catches a binding that calls it, and
 * passes compare's binding, which calls {@code mi_malloc_aligned_at(size, align, 0)}.
 */
class MimallocAlignedRegressionTest {
    /** Every power-of-two size 128..2048 at every alignment 256..4096, and sizes beside them. */
    static Arbitrary<Layout> regressionLayouts() {
        List<Layout> layouts = new ArrayList<>();
        for (long size : new long[] {128, 255, 256, 257, 384, 512, 768, 1024, 2048}) {
            for (long alignment = 256; alignment <= 4096; alignment <<= 1) {
                layouts.add(Layout.of(size, alignment));
            }
        }
        return Arbitraries.of(layouts);
    }

    /** The broken binding, under the suite: run only through the JUnit Platform by the test below. */
    @AddLifecycleHook(LibraryPresent.class)
    @LibraryPresent.Needs(NativeLibrary.MIMALLOC)
    static class ThroughMiMallocAligned implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return NativeAllocator.mimallocThroughMiMallocAligned();
        }

        @Override
        public Arbitrary<Layout> layouts() {
            return regressionLayouts();
        }
    }

    /** Compare's binding under the same layouts: no false alarm. */
    @AddLifecycleHook(LibraryPresent.class)
    @LibraryPresent.Needs(NativeLibrary.MIMALLOC)
    static class ThroughMiMallocAlignedAt implements AllocatorContract {
        @Override
        public GlobalAllocator newAllocator() {
            return NativeAllocator.load(NativeLibrary.MIMALLOC);
        }

        @Override
        public Arbitrary<Layout> layouts() {
            return regressionLayouts();
        }
    }

    private static final String CHECK = "allocate_anyLayout_exactSizeAndAlignment";

    @Test
    void contract_bindingThroughMiMallocAligned_failsOnAlignment() {
        NativeAllocatorTest.load(NativeLibrary.MIMALLOC);
        EngineExecutionResults results = run(ThroughMiMallocAligned.class);
        List<Event> failed = results.testEvents().failed().list();
        if (failed.isEmpty()) {
            fail("the suite passed mimalloc through mi_malloc_aligned: the regression is not caught; events: "
                    + results.allEvents().list());
        }
        Throwable failure = failed.getFirst().getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow();
        if (!(failure instanceof ContractViolation violation)) {
            throw new AssertionError("expected a ContractViolation, got " + failure, failure);
        }
        assertEquals(Rule.ALIGNMENT, violation.rule(), violation::getMessage);
        assertTrue(violation.getMessage().contains("alignment=256") || violation.getMessage().contains("alignment="),
                violation::getMessage);
    }

    @Test
    void contract_bindingThroughMiMallocAlignedAt_passes() {
        NativeAllocatorTest.load(NativeLibrary.MIMALLOC);
        EngineExecutionResults results = run(ThroughMiMallocAlignedAt.class);
        assertEquals(0, results.testEvents().failed().count(), () -> results.testEvents().failed().list().toString());
        assertEquals(1, results.testEvents().succeeded().count(), () -> results.allEvents().list().toString());
    }

    private static EngineExecutionResults run(Class<?> contract) {
        return EngineTestKit.engine("jqwik")
                .selectors(DiscoverySelectors.selectMethod(contract, findCheck(contract)))
                .execute();
    }

    private static java.lang.reflect.Method findCheck(Class<?> contract) {
        for (java.lang.reflect.Method m : contract.getMethods()) {
            if (m.getName().equals(CHECK)) {
                return m;
            }
        }
        throw new AssertionError("no check " + CHECK + " in " + contract);
    }
}
