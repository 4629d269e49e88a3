package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decorator forwards exactly each call to a mocked inner allocator, and nothing it answers itself. */
class ForwardingTest {
    private static final Layout LAYOUT = Layout.of(64, 8);
    // Addresses are never dereferenced by the statistics-only path: fake ones suffice.
    private static final MemorySegment BLOCK = MemorySegment.ofAddress(0x1000);
    private static final MemorySegment MOVED = MemorySegment.ofAddress(0x2000);

    private final GlobalAllocator inner = mock(GlobalAllocator.class);
    private final TrackingAllocator tracking = Tracking.builder(inner).sampleEvery(1).jmx(false).build();

    @AfterEach
    void tearDown() {
        tracking.close();
    }

    @Test
    void allocate_forwardsOnceAndReturnsInnersBlock() {
        when(inner.allocate(LAYOUT)).thenReturn(BLOCK);
        assertSame(BLOCK, tracking.allocate(LAYOUT));
        verify(inner).allocate(LAYOUT);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void allocateZeroed_forwardsToInnersAllocateZeroed() {
        when(inner.allocateZeroed(LAYOUT)).thenReturn(BLOCK);
        assertSame(BLOCK, tracking.allocateZeroed(LAYOUT));
        verify(inner).allocateZeroed(LAYOUT);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void deallocate_forwardsBlockAndLayout() {
        tracking.deallocate(BLOCK, LAYOUT);
        verify(inner).deallocate(BLOCK, LAYOUT);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void reallocate_forwardsToInnersReallocate() {
        when(inner.reallocate(BLOCK, LAYOUT, 128)).thenReturn(MOVED);
        assertSame(MOVED, tracking.reallocate(BLOCK, LAYOUT, 128));
        verify(inner).reallocate(BLOCK, LAYOUT, 128);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void zeroSize_isAnsweredWithoutForwarding() {
        Layout zero = Layout.of(0, 16);
        MemorySegment dangling = tracking.allocate(zero);
        assertEquals(16, dangling.address());
        tracking.deallocate(dangling, zero);
        verifyNoInteractions(inner);
    }

    @Test
    void reallocate_toZero_forwardsOnlyTheFree() {
        MemorySegment result = tracking.reallocate(BLOCK, LAYOUT, 0);
        assertEquals(0, result.byteSize());
        verify(inner).deallocate(BLOCK, LAYOUT);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void reallocate_ofZeroSizeBlock_forwardsOnlyAnAllocation() {
        when(inner.allocate(LAYOUT)).thenReturn(BLOCK);
        assertSame(BLOCK, tracking.reallocate(Layout.of(0, 8).dangling(), Layout.of(0, 8), 64));
        verify(inner).allocate(LAYOUT);
        verifyNoMoreInteractions(inner);
    }

    @Test
    void allocate_innerFails_throwsOwnExceptionWithInnerAsCauseAndCountsFailure() {
        AllocationException failure = new AllocationException("inner", LAYOUT, "exhausted");
        when(inner.allocate(LAYOUT)).thenThrow(failure).thenReturn(BLOCK);
        AllocationException thrown = assertThrows(AllocationException.class, () -> tracking.allocate(LAYOUT));
        // The contract: a failure names the allocator asked and the layout asked for.
        assertEquals(tracking.name(), thrown.allocatorName());
        assertEquals(LAYOUT, thrown.layout());
        assertSame(failure, thrown.getCause());
        assertSame(BLOCK, tracking.allocate(LAYOUT));
        assertEquals(1, tracking.snapshot().failures());
        assertEquals(1, tracking.snapshot().allocations());
    }

    @Test
    void sampledBlock_reallocated_keepsItsSiteAtTheNewAddress() {
        when(inner.allocate(LAYOUT)).thenReturn(BLOCK);
        when(inner.reallocate(BLOCK, LAYOUT, 128)).thenReturn(MOVED);
        tracking.allocate(LAYOUT);
        tracking.reallocate(BLOCK, LAYOUT, 128);
        LeakReport report = tracking.leaks();
        assertEquals(1, report.leaks().size(), report::format);
        assertEquals(128, report.leaks().get(0).bytes());
        tracking.deallocate(MOVED, Layout.of(128, 8));
        assertEquals(0, tracking.leaks().leaks().size());
    }
}
