package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class ListenerTest {
    private static final Layout LAYOUT = Layout.of(32, 16);

    @Test
    void listener_isToldOfEachOperationInOrder() {
        AllocationListener listener = mock(AllocationListener.class);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).listener(listener).jmx(false).build()) {
            MemorySegment a = t.allocate(LAYOUT);
            MemorySegment b = t.reallocate(a, LAYOUT, 64);
            t.deallocate(b, Layout.of(64, 16));
            InOrder order = inOrder(listener);
            order.verify(listener).onAllocate(a, LAYOUT);
            order.verify(listener).onReallocate(a, LAYOUT, b, Layout.of(64, 16));
            order.verify(listener).onDeallocate(b, Layout.of(64, 16));
        }
    }

    @Test
    void listener_onFailure_getsTheThrownException() {
        AllocationListener listener = mock(AllocationListener.class);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).budget(10).listener(listener)
                .jmx(false).build()) {
            BudgetExceededException e = assertThrows(BudgetExceededException.class, () -> t.allocate(LAYOUT));
            verify(listener).onFailure(eq(LAYOUT), same(e));
            verify(listener, never()).onAllocate(any(), any());
        }
    }

    @Test
    void listener_throwing_doesNotFailTheAllocation() {
        AllocationListener listener = mock(AllocationListener.class);
        doThrow(new IllegalStateException("metrics down")).when(listener).onAllocate(any(), any());
        // The failure is logged at WARNING; keep the expected stack trace out of the build's output.
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(TrackingGlobalAllocator.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).listener(listener).jmx(false).build()) {
            MemorySegment a = t.allocate(LAYOUT);
            t.deallocate(a, LAYOUT);
            assertEquals(0, t.snapshot().liveBytes());
            assertEquals(1, t.snapshot().allocations());
        } finally {
            log.setLevel(level);
        }
    }

    @Test
    void logging_toStream_writesAddressSizeAndAlignment() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             TrackingAllocator t = Tracking.builder(GlobalAllocator.system())
                     .listener(AllocationListener.logging(out)).jmx(false).build()) {
            MemorySegment a = t.allocate(LAYOUT);
            t.deallocate(a, LAYOUT);
            String hex = "0x" + Long.toHexString(a.address());
            String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals("allocate address=" + hex + " size=32 alignment=16", lines[0]);
            assertEquals("deallocate address=" + hex + " size=32 alignment=16", lines[1]);
        }
    }

    @Test
    void logging_toLoggerOff_buildsNoMessage() {
        System.Logger logger = mock(System.Logger.class);
        when(logger.isLoggable(any())).thenReturn(false);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system())
                .listener(AllocationListener.logging(logger)).jmx(false).build()) {
            t.deallocate(t.allocate(LAYOUT), LAYOUT);
            verify(logger, never()).log(any(System.Logger.Level.class), any(String.class));
        }
    }

    @Test
    void logging_toLoggerOn_logsAtDebug() {
        System.Logger logger = mock(System.Logger.class);
        when(logger.isLoggable(any())).thenReturn(true);
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system())
                .listener(AllocationListener.logging(logger)).jmx(false).build()) {
            MemorySegment a = t.allocate(LAYOUT);
            verify(logger).log(System.Logger.Level.DEBUG,
                    "allocate address=0x" + Long.toHexString(a.address()) + " size=32 alignment=16");
            t.deallocate(a, LAYOUT);
        }
    }

    @Test
    void logging_failure_logsAtWarning() {
        System.Logger logger = mock(System.Logger.class);
        when(logger.isLoggable(any())).thenReturn(true);
        GlobalAllocator inner = mock(GlobalAllocator.class);
        when(inner.allocate(LAYOUT)).thenThrow(new AllocationException("inner", LAYOUT, "exhausted"));
        try (TrackingAllocator t = Tracking.builder(inner).listener(AllocationListener.logging(logger))
                .jmx(false).build()) {
            assertThrows(AllocationException.class, () -> t.allocate(LAYOUT));
            verify(logger).log(eq(System.Logger.Level.WARNING),
                    org.mockito.ArgumentMatchers.<String>argThat(m -> m.startsWith("failure size=32 alignment=16")
                            && m.contains("exhausted")));
        }
    }

    @Test
    void builder_negativeOptions_throwNamingValue() {
        Tracking.Builder b = Tracking.builder(GlobalAllocator.system());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.sampleEvery(-1)).getMessage()
                .contains("sampleEvery=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.budget(-5)).getMessage()
                .contains("budget=-5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.peakQuantum(-5)).getMessage()
                .contains("peakQuantum=-5"));
    }
}
