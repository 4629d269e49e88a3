package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The static entry points of {@link GlobalAllocator} in the test JVM itself, whose class path holds no
 * provider, and the API's exceptions. Resolution with providers: {@link GlobalResolutionContract}.
 */
class GlobalAllocatorTest {

    @Test
    void global_noProviderOnTheTestClassPath_isSystem() {
        assertSame(GlobalAllocator.system(), GlobalAllocator.global());
        assertSame(GlobalAllocator.global(), GlobalAllocator.global());
    }

    @Test
    void resolution_noProviderOnTheTestClassPath_choosesSystemWithoutCandidates() {
        Resolution resolution = GlobalAllocator.resolution();
        assertEquals(Resolution.Outcome.SYSTEM_DEFAULT, resolution.outcome());
        assertEquals(Optional.of(GlobalAllocator.SYSTEM), resolution.chosen());
        assertEquals(Optional.empty(), resolution.chosenCandidate());
        assertEquals(List.of(), resolution.candidates());
        assertEquals(List.of(GlobalAllocator.SYSTEM), resolution.names());
        assertTrue(resolution.report().startsWith(Resolution.PREFIX), resolution.report());
    }

    @Test
    void named_system_isTheBuiltInAllocator() {
        assertSame(GlobalAllocator.system(), GlobalAllocator.named(GlobalAllocator.SYSTEM));
        assertEquals(List.of(GlobalAllocator.SYSTEM), GlobalAllocator.available());
    }

    @Test
    void named_unknownName_throwsListingTheNamesThereAre() {
        AllocatorResolutionException e = assertThrows(AllocatorResolutionException.class,
                () -> GlobalAllocator.named("slab"));
        assertEquals(Resolution.Outcome.UNKNOWN_NAME, e.resolution().outcome());
        assertEquals(Optional.of("slab"), e.resolution().property());
        assertTrue(e.getMessage().startsWith(Resolution.PREFIX + "GlobalAllocator.named(\"slab\") "
                + Resolution.UNKNOWN_NAME), e.getMessage());
        assertTrue(e.getMessage().endsWith(Resolution.UNKNOWN_NAME_FIX + "system"), e.getMessage());
    }

    @Test
    void named_null_throwsNullPointerException() {
        assertThrows(NullPointerException.class, () -> GlobalAllocator.named(null));
    }

    @Test
    void allocationException_message_namesAllocatorLayoutAndReason() {
        Layout layout = Layout.of(100, 32);
        Throwable cause = new OutOfMemoryError("test");
        AllocationException e = new AllocationException("slab", layout, "budget exceeded", cause);
        assertEquals("allocator 'slab' cannot allocate Layout[size=100, alignment=32]: budget exceeded", e.getMessage());
        assertSame(layout, e.layout());
        assertEquals("slab", e.allocatorName());
        assertSame(cause, e.getCause());
        assertThrows(NullPointerException.class, () -> new AllocationException(null, layout, "x"));
        assertThrows(NullPointerException.class, () -> new AllocationException("slab", null, "x"));
    }

    @Test
    void allocatorMisuseException_message_namesKindAllocatorAndDetail() {
        var e = new AllocatorMisuseException(AllocatorMisuseException.Kind.DOUBLE_FREE, "tracking", "block=0x10");
        assertEquals("DOUBLE_FREE detected by allocator 'tracking': block=0x10", e.getMessage());
        assertEquals(AllocatorMisuseException.Kind.DOUBLE_FREE, e.kind());
        assertEquals("tracking", e.allocatorName());
        assertThrows(NullPointerException.class,
                () -> new AllocatorMisuseException(null, "tracking", "block=0x10"));
    }

    /** The defaults of the interface, on an allocator that implements only the two abstract methods. */
    @Test
    void defaults_minimalAllocator_zeroAndReallocateFollowTheContract() {
        GlobalAllocator minimal = new GlobalAllocator() {
            @Override
            public MemorySegment allocate(Layout layout) {
                return GlobalAllocator.system().allocate(layout);
            }

            @Override
            public void deallocate(MemorySegment block, Layout layout) {
                GlobalAllocator.system().deallocate(block, layout);
            }

            @Override
            public String name() {
                return "minimal";
            }
        };
        Layout layout = Layout.of(40, 8);
        MemorySegment dirty = minimal.allocate(layout);
        dirty.fill((byte) -1);
        minimal.deallocate(dirty, layout);
        MemorySegment zeroed = minimal.allocateZeroed(layout);
        assertEquals(-1, zeroed.mismatch(MemorySegment.ofArray(new byte[40])));
        for (int i = 0; i < 40; i++) {
            zeroed.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        MemorySegment grown = minimal.reallocate(zeroed, layout, 100);
        assertEquals(100, grown.byteSize());
        for (int i = 0; i < 40; i++) {
            assertEquals((byte) i, grown.get(ValueLayout.JAVA_BYTE, i));
        }
        MemorySegment empty = minimal.reallocate(grown, Layout.of(100, 8), 0);
        assertEquals(Layout.of(0, 8).dangling(), empty);
        MemorySegment again = minimal.reallocate(empty, Layout.of(0, 8), 16);
        assertEquals(16, again.byteSize());
        minimal.deallocate(again, Layout.of(16, 8));
        assertEquals(Layout.of(0, 8).dangling(), minimal.allocateZeroed(Layout.of(0, 8)));
    }
}
