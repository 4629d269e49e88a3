package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JFR events and the MBean. */
class ObservabilityTest {

    @Test
    void recording_containsFailureBudgetLeakSummaryAndAllocationEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tracking.jfr");
        try (Recording recording = new Recording();
             TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).name("jfr-test").budget(1000)
                     .sampleEvery(1).jmx(false).build()) {
            recording.enable(TrackingEvents.FAILURE);
            recording.enable(TrackingEvents.BUDGET);
            recording.enable(TrackingEvents.LEAKS);
            // endChunk: the recorder emits the periodic summary when the recording stops, whatever the timing.
            recording.enable(TrackingEvents.SUMMARY).with("period", "endChunk");
            recording.enable(TrackingEvents.ALLOCATION);
            recording.start();
            MemorySegment a = t.allocate(Layout.ofSize(100));
            assertThrows(BudgetExceededException.class, () -> t.allocate(Layout.ofSize(2000)));
            BudgetScope scope = t.openScope("request", 500);
            MemorySegment leaked = scope.allocate(Layout.ofSize(10));
            assertThrows(LeakException.class, scope::close);
            scope.deallocate(leaked, Layout.ofSize(10));
            t.deallocate(a, Layout.ofSize(100));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Set<String> names = events.stream().map(e -> e.getEventType().getName()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of(TrackingEvents.FAILURE, TrackingEvents.BUDGET, TrackingEvents.LEAKS,
                TrackingEvents.SUMMARY, TrackingEvents.ALLOCATION)), names::toString);
        RecordedEvent budget = events.stream().filter(e -> e.getEventType().getName().equals(TrackingEvents.BUDGET))
                .findFirst().orElseThrow();
        assertEquals("jfr-test", budget.getString("budget"));
        assertEquals(1000, budget.getLong("limit"));
        assertEquals(100, budget.getLong("used"));
        RecordedEvent leaks = events.stream().filter(e -> e.getEventType().getName().equals(TrackingEvents.LEAKS))
                .findFirst().orElseThrow();
        assertEquals(10, leaks.getLong("liveBytes"));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals(TrackingEvents.SUMMARY)
                && e.getString("allocator").equals("jfr-test")), "a summary of this allocator");
        long allocations = events.stream().filter(e -> e.getEventType().getName().equals(TrackingEvents.ALLOCATION)
                && e.getString("allocator").equals("jfr-test")).count();
        assertEquals(4, allocations, "two allocations and two frees");
    }

    @Test
    void allocationEvent_isDisabledByDefault() throws Exception {
        try (Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
            recording.start();
            try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).jmx(false).build()) {
                t.deallocate(t.allocate(Layout.ofSize(8)), Layout.ofSize(8));
            }
            recording.stop();
            Path file = Files.createTempFile("tracking", ".jfr");
            try {
                recording.dump(file);
                assertFalse(RecordingFile.readAllEvents(file).stream()
                        .anyMatch(e -> e.getEventType().getName().equals(TrackingEvents.ALLOCATION)));
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void mbean_isVisibleWithStatisticsAndGoneAfterClose() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName pattern = new ObjectName("org.allocator4j:type=TrackingAllocator,name=\"jmx-test\",*");
        TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).name("jmx-test").jmx(true).build();
        MemorySegment a = t.allocate(Layout.ofSize(300));
        Set<ObjectName> names = server.queryNames(pattern, null);
        assertEquals(1, names.size(), names::toString);
        ObjectName name = names.iterator().next();
        assertEquals(300L, server.getAttribute(name, "LiveBytes"));
        assertEquals(1L, server.getAttribute(name, "Allocations"));
        assertEquals("system", server.getAttribute(name, "Inner"));
        assertArrayEquals(t.snapshot().histogram(), (long[]) server.getAttribute(name, "Histogram"));
        assertTrue(((String) server.getAttribute(name, "LeakReport")).contains("300 bytes in 1 live block(s)"));
        t.deallocate(a, Layout.ofSize(300));
        t.close();
        assertTrue(server.queryNames(pattern, null).isEmpty());
    }
}
