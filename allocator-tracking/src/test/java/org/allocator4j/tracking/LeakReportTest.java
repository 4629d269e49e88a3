package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

class LeakReportTest {

    private static MemorySegment cacheEntry(GlobalAllocator a) {
        return a.allocate(Layout.ofSize(100));
    }

    private static MemorySegment buffer(GlobalAllocator a) {
        return a.allocate(Layout.ofSize(1000));
    }

    @Test
    void leaks_sampleEveryOne_groupsLiveBlocksBySiteLargestFirst() {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).sampleEvery(1).jmx(false).build()) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blocks.add(cacheEntry(t));
            }
            blocks.add(buffer(t));
            MemorySegment freed = buffer(t);
            t.deallocate(freed, Layout.ofSize(1000));
            LeakReport report = t.leaks();
            assertEquals(4, report.liveBlocks());
            assertEquals(1300, report.liveBytes());
            assertEquals(2, report.leaks().size(), report::format);
            assertTrue(report.leaks().get(0).site().caller().contains("buffer"), report::format);
            assertEquals(1000, report.leaks().get(0).bytes());
            assertEquals(3, report.leaks().get(1).blocks());
            assertTrue(report.leaks().get(1).site().caller().contains("cacheEntry"), report::format);
            assertTrue(report.format().contains("1300 bytes in 4 live block(s)"), report::format);
            for (int i = 0; i < 3; i++) {
                t.deallocate(blocks.get(i), Layout.ofSize(100));
            }
            t.deallocate(blocks.get(3), Layout.ofSize(1000));
            assertTrue(t.leaks().isEmpty());
        }
    }

    @Test
    void leaks_defaultSampling_recordsAboutOneInN() {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).sampleEvery(16).jmx(false).build()) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 1600; i++) {
                blocks.add(cacheEntry(t));
            }
            long recorded = t.leaks().leaks().stream().mapToLong(Leak::blocks).sum();
            assertEquals(100, recorded, "one in 16 of 1600 allocations on one thread");
            blocks.forEach(b -> t.deallocate(b, Layout.ofSize(100)));
            assertTrue(t.leaks().leaks().isEmpty());
        }
    }

    @Test
    void leaks_samplingOff_countsWithoutSites() {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).sampleEvery(0).jmx(false).build()) {
            MemorySegment a = cacheEntry(t);
            LeakReport report = t.leaks();
            assertEquals(1, report.liveBlocks());
            assertTrue(report.leaks().isEmpty());
            assertTrue(report.format().contains("sampling is off"), report::format);
            t.deallocate(a, Layout.ofSize(100));
        }
    }

    private static ExtensionContext context() {
        ExtensionContext context = mock(ExtensionContext.class);
        ExtensionContext.Store store = mock(ExtensionContext.Store.class);
        LeakReport[] saved = new LeakReport[1];
        when(context.getStore(any())).thenReturn(store);
        when(context.getUniqueId()).thenReturn("[test:leaky]");
        when(context.getDisplayName()).thenReturn("leaky()");
        org.mockito.Mockito.doAnswer(inv -> saved[0] = inv.getArgument(1)).when(store).put(eq("[test:leaky]"), any());
        when(store.remove("[test:leaky]", LeakReport.class)).thenAnswer(inv -> saved[0]);
        return context;
    }

    @Test
    void extension_testLeavingBlocksLive_failsNamingSites() {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).sampleEvery(1).jmx(false).build()) {
            MemorySegment before = buffer(t); // live before the test: not the test's leak
            LeakCheckExtension extension = LeakCheckExtension.of(t);
            ExtensionContext context = context();
            extension.beforeEach(context);
            MemorySegment leaked = cacheEntry(t);
            LeakException e = assertThrows(LeakException.class, () -> extension.afterEach(context));
            assertEquals(1, e.report().liveBlocks());
            assertEquals(1, e.report().leaks().size(), e.report()::format);
            assertTrue(e.getMessage().contains("test leaky() left 1 block(s) live"), e.getMessage());
            assertTrue(e.getMessage().contains("cacheEntry"), e.getMessage());
            t.deallocate(leaked, Layout.ofSize(100));
            t.deallocate(before, Layout.ofSize(1000));
        }
    }

    @Test
    void extension_testFreeingEverything_passes() {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).sampleEvery(1).jmx(false).build()) {
            LeakCheckExtension extension = LeakCheckExtension.of(t);
            ExtensionContext context = context();
            extension.beforeEach(context);
            t.deallocate(cacheEntry(t), Layout.ofSize(100));
            assertDoesNotThrow(() -> extension.afterEach(context));
        }
    }
}
