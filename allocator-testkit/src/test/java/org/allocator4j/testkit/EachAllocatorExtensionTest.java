package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

class EachAllocatorExtensionTest {

    @AllocatorTest
    void allocate_eachAvailableAllocator_worksForALibrary(GlobalAllocator allocator) {
        assertNotNull(allocator);
        Layout layout = Layout.of(256, 32);
        MemorySegment block = allocator.allocate(layout);
        block.setAtIndex(ValueLayout.JAVA_INT, 63, 7);
        assertEquals(7, block.getAtIndex(ValueLayout.JAVA_INT, 63));
        allocator.deallocate(block, layout);
    }

    @Test
    void allocatorTest_twoAllocatorsAvailable_runsOncePerAllocatorNamedAfterIt() {
        Recorder.NAMES.clear();
        var results = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(Recorder.class))
                .execute();
        List<String> displayNames = results.testEvents().succeeded().list().stream()
                .map(Event::getTestDescriptor).map(d -> d.getDisplayName()).sorted().toList();
        assertEquals(List.of("[system]", "[" + SystemCopyProvider.NAME + "]"), displayNames);
        assertEquals(List.of("system", SystemCopyProvider.NAME), Recorder.NAMES.stream().sorted().toList());
        assertEquals(GlobalAllocator.available().stream().sorted().toList(), Recorder.NAMES.stream().sorted().toList());
    }

    @Test
    void allocatorTest_failingInvocation_failureNamesTheAllocator() {
        var results = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(Failing.class))
                .execute();
        List<String> messages = results.testEvents().failed().list().stream()
                .map(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                        .getThrowable().orElseThrow().getMessage())
                .sorted().toList();
        assertEquals(2, messages.size(), messages::toString);
        assertTrue(messages.get(0).startsWith("[system] "), messages::toString);
        assertTrue(messages.get(0).contains("expected a failure"), messages::toString);
        assertTrue(messages.get(1).startsWith("[" + SystemCopyProvider.NAME + "] "), messages::toString);
    }

    /** Fails in every invocation; run only through the EngineTestKit above. */
    static class Failing {
        @AllocatorTest
        void fail(GlobalAllocator allocator) {
            throw new AssertionError("expected a failure");
        }
    }

    /** Run only through the EngineTestKit above (a static nested class, not discovered by the build). */
    static class Recorder {
        static final List<String> NAMES = Collections.synchronizedList(new ArrayList<>());

        @AllocatorTest
        void record(GlobalAllocator allocator) {
            NAMES.add(allocator.name());
        }
    }
}
