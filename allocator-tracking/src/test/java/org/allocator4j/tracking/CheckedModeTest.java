package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verifyNoInteractions;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class CheckedModeTest {
    private static final Layout LAYOUT = Layout.of(48, 16);

    /** A spy on system: real memory, and every call recorded. */
    private final GlobalAllocator inner = spy(new Delegate(GlobalAllocator.system()));
    private final TrackingAllocator checked = Tracking.builder(inner).checked(true).jmx(false).build();

    /** A plain class Mockito can spy on (system's class is package-private in another module). */
    static final class Delegate implements GlobalAllocator {
        private final GlobalAllocator target;

        Delegate(GlobalAllocator target) {
            this.target = target;
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            return target.allocate(layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            target.deallocate(block, layout);
        }

        @Override
        public String name() {
            return "delegate";
        }
    }

    @AfterEach
    void tearDown() {
        checked.close();
    }

    private AllocatorMisuseException misuse(Kind kind, Runnable call) {
        clearInvocations(inner);
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        verifyNoInteractions(inner); // misuse never reaches the inner allocator
        return e;
    }

    private static void allocateHelper(TrackingAllocator a, MemorySegment[] out) {
        out[0] = a.allocate(LAYOUT);
    }

    @Test
    void deallocate_twice_throwsDoubleFreeWithAllocationAndFirstFreeSites() {
        MemorySegment[] block = new MemorySegment[1];
        allocateHelper(checked, block);
        checked.deallocate(block[0], LAYOUT);
        AllocatorMisuseException e = misuse(Kind.DOUBLE_FREE, () -> checked.deallocate(block[0], LAYOUT));
        assertTrue(e.getMessage().contains("allocated at"), e.getMessage());
        assertTrue(e.getMessage().contains("allocateHelper"), e.getMessage());
        assertTrue(e.getMessage().contains("first freed at"), e.getMessage());
        assertTrue(e.getMessage().contains("deallocate_twice_throwsDoubleFreeWithAllocationAndFirstFreeSites"),
                e.getMessage());
        assertEquals(1, checked.snapshot().deallocations(), "the misuse is not counted");
    }

    @Test
    void deallocate_foreignBlock_throwsInCheckedMode() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment foreign = arena.allocate(LAYOUT.size(), LAYOUT.alignment());
            AllocatorMisuseException e = misuse(Kind.FOREIGN_BLOCK, () -> checked.deallocate(foreign, LAYOUT));
            assertTrue(e.getMessage().contains("0x" + Long.toHexString(foreign.address())), e.getMessage());
        }
    }

    @Test
    void deallocate_interiorPointer_throwsForeignBlockNamingTheBlock() {
        MemorySegment block = checked.allocate(LAYOUT);
        AllocatorMisuseException e = misuse(Kind.FOREIGN_BLOCK,
                () -> checked.deallocate(block.asSlice(8), Layout.of(40, 8)));
        assertTrue(e.getMessage().contains("inside block=0x" + Long.toHexString(block.address())), e.getMessage());
        assertTrue(e.getMessage().contains("offset=8"), e.getMessage());
        checked.deallocate(block, LAYOUT);
    }

    @Test
    void deallocate_otherLayout_throwsLayoutMismatchWithBothLayouts() {
        MemorySegment block = checked.allocate(LAYOUT);
        AllocatorMisuseException e = misuse(Kind.LAYOUT_MISMATCH, () -> checked.deallocate(block, Layout.of(48, 8)));
        assertTrue(e.getMessage().contains("Layout[size=48, alignment=8]"), e.getMessage());
        assertTrue(e.getMessage().contains("allocated with Layout[size=48, alignment=16]"), e.getMessage());
        assertTrue(e.getMessage().contains("allocated at"), e.getMessage());
        misuse(Kind.LAYOUT_MISMATCH, () -> checked.deallocate(block, Layout.of(0, 16)));
        misuse(Kind.LAYOUT_MISMATCH, () -> checked.reallocate(block, Layout.of(40, 16), 100));
        checked.deallocate(block, LAYOUT); // still live and intact
    }

    @Test
    void deallocate_afterWritePastEnd_throwsOverrunWithOffset() {
        MemorySegment block = checked.allocate(LAYOUT);
        // Write one byte past the end through a wider view: what a C-style off-by-one does.
        RawMemory.write(block.address(), 48, (byte) 1);
        AllocatorMisuseException e = misuse(Kind.OVERRUN, () -> checked.deallocate(block, LAYOUT));
        assertTrue(e.getMessage().contains("offset=48"), e.getMessage());
        assertTrue(e.getMessage().contains("allocated at"), e.getMessage());
        assertEquals(1, checked.leaks().liveBlocks(), "an overrun block stays live");
    }

    @Test
    void deallocate_afterWriteBeforeStart_throwsOverrunWithNegativeOffset() {
        MemorySegment block = checked.allocate(LAYOUT);
        RawMemory.write(block.address(), -1, (byte) 1);
        AllocatorMisuseException e = misuse(Kind.OVERRUN, () -> checked.deallocate(block, LAYOUT));
        assertTrue(e.getMessage().contains("offset=-1"), e.getMessage());
        assertThrows(AllocatorMisuseException.class, checked::verify);
    }

    @Test
    void close_afterWriteToFreedBlock_throwsUseAfterFreeWithBothSites() {
        MemorySegment block = checked.allocate(LAYOUT);
        long address = block.address();
        checked.deallocate(block, LAYOUT);
        RawMemory.write(address, 4, (byte) 42);
        AllocatorMisuseException v = assertThrows(AllocatorMisuseException.class, checked::verify);
        assertEquals(Kind.USE_AFTER_FREE, v.kind());
        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, checked::close);
        assertEquals(Kind.USE_AFTER_FREE, e.kind());
        assertTrue(e.getMessage().contains("offset=4"), e.getMessage());
        assertTrue(e.getMessage().contains("allocated at") && e.getMessage().contains("freed at"), e.getMessage());
    }

    @Test
    void deallocate_evictingDamagedBlockFromQuarantine_throwsUseAfterFreeAndReleasesIt() {
        try (TrackingAllocator small = Tracking.builder(inner).checked(true).quarantine(1 << 20, 1).jmx(false).build()) {
            MemorySegment a = small.allocate(LAYOUT);
            MemorySegment b = small.allocate(LAYOUT);
            small.deallocate(a, LAYOUT);
            RawMemory.write(a.address(), 0, (byte) 0);
            AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, () -> small.deallocate(b, LAYOUT));
            assertEquals(Kind.USE_AFTER_FREE, e.kind());
            assertEquals(2, small.snapshot().deallocations(), "the evicting free itself was accepted");
        }
    }

    @Test
    void deallocate_blockLargerThanQuarantine_isHeldUntilTheNextFreeAndChecked() {
        Layout big = Layout.of(4096, 16);
        try (TrackingAllocator small = Tracking.builder(inner).checked(true).quarantine(1024, 16).jmx(false).build()) {
            MemorySegment a = small.allocate(big);
            MemorySegment b = small.allocate(LAYOUT);
            clearInvocations(inner);
            small.deallocate(a, big);
            verifyNoInteractions(inner); // held although 4096 > 1024 bytes: still ours, so the write is safe
            RawMemory.write(a.address(), 100, (byte) 0);
            AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, () -> small.deallocate(b, LAYOUT));
            assertEquals(Kind.USE_AFTER_FREE, e.kind());
            assertTrue(e.getMessage().contains("offset=100"), e.getMessage());
        }
    }

    @Test
    void allocate_checked_blockIsAlignedWithinRedZones() {
        for (long align = 1; align <= 4096; align <<= 1) {
            Layout layout = Layout.of(3, align);
            MemorySegment block = checked.allocate(layout);
            assertTrue(layout.isAligned(block.address()), layout::toString);
            assertEquals(3, block.byteSize());
            checked.deallocate(block, layout);
        }
    }

    @Test
    void reallocate_checked_keepsContentsAndFreesOld() {
        MemorySegment block = checked.allocate(LAYOUT);
        block.fill((byte) 9);
        // Only the address is relied on: a zero-length segment at it works as well.
        MemorySegment grown = checked.reallocate(MemorySegment.ofAddress(block.address()), LAYOUT, 4000);
        assertEquals(9, grown.get(ValueLayout.JAVA_BYTE, 47));
        misuse(Kind.DOUBLE_FREE, () -> checked.deallocate(block, LAYOUT));
        checked.deallocate(grown, Layout.of(4000, 16));
        assertEquals(0, checked.snapshot().liveBytes());
    }

    @Test
    void allocate_hugeWithRedZones_throwsAllocationExceptionAndStaysUsable() {
        Layout huge = Layout.of(Long.MAX_VALUE - 20, 1);
        assertThrows(org.allocator4j.api.AllocationException.class, () -> checked.allocate(huge));
        checked.deallocate(checked.allocate(LAYOUT), LAYOUT);
    }

    @Test
    void leaks_checked_listsEverySiteOfLiveBlocks() {
        MemorySegment[] block = new MemorySegment[1];
        for (int i = 0; i < 2; i++) {
            allocateHelper(checked, block); // one site: the same frames, line for line
        }
        MemorySegment other = checked.allocate(Layout.of(8, 8));
        LeakReport report = checked.leaks();
        assertEquals(1, report.sampleEvery());
        assertEquals(3, report.liveBlocks());
        assertEquals(2, report.leaks().size(), report::format);
        assertEquals(2, report.leaks().get(0).blocks(), report::format);
        assertTrue(report.leaks().get(0).site().stackTrace().contains("allocateHelper"), report::format);
        checked.deallocate(other, Layout.of(8, 8));
    }

    @Property(tries = 50)
    void deallocate_anyOverrunByte_isCaught(@ForAll @LongRange(min = 1, max = 200) long size,
                                            @ForAll @IntRange(min = 0, max = 15) int past) {
        try (TrackingAllocator t = Tracking.builder(GlobalAllocator.system()).checked(true).jmx(false).build()) {
            Layout layout = Layout.of(size, 8);
            MemorySegment block = t.allocate(layout);
            RawMemory.write(block.address(), size + past, (byte) 0);
            AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, () -> t.deallocate(block, layout));
            assertEquals(Kind.OVERRUN, e.kind());
            assertTrue(e.getMessage().contains("offset=" + (size + past)), e.getMessage());
        }
    }

    @Test
    void misuse_neverCallsInner() {
        MemorySegment block = checked.allocate(LAYOUT);
        checked.deallocate(block, LAYOUT);
        clearInvocations(inner);
        assertThrows(AllocatorMisuseException.class, () -> checked.reallocate(block, LAYOUT, 10));
        assertThrows(AllocatorMisuseException.class, () -> checked.deallocate(block, LAYOUT));
        verifyNoInteractions(inner);
        org.mockito.Mockito.verify(inner, org.mockito.Mockito.never()).deallocate(any(), any());
    }
}
