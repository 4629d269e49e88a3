package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScopedBumpArenaTest {
    private final RecordingAllocator parent = new RecordingAllocator();
    private final BumpArena bump = BumpArena.builder().parent(parent).firstChunkSize(256).build();

    @AfterEach
    void closeArena() {
        bump.close();
        assertTrue(parent.live.isEmpty());
    }

    @Test
    void allocate_segmentsHaveArenaScopeAndExactSizeAndAlignment() {
        try (Arena arena = bump.openArena()) {
            MemorySegment s = arena.allocate(100, 32);

            assertEquals(100, s.byteSize());
            assertEquals(0, s.address() % 32);
            assertEquals(arena.scope(), s.scope());
            s.set(ValueLayout.JAVA_LONG, 88, 5);
            assertEquals(5, s.get(ValueLayout.JAVA_LONG, 88));
        }
    }

    @Test
    void close_makesEverySegmentInaccessible() {
        Arena arena = bump.openArena();
        MemorySegment first = arena.allocate(16, 8);
        MemorySegment spilled = arena.allocate(10_000, 8); // in a second chunk
        arena.close();

        assertFalse(arena.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> spilled.set(ValueLayout.JAVA_BYTE, 9_999, (byte) 1));
    }

    @Test
    void close_rewindsBumpArenaSoNextArenaReusesMemory() {
        long address;
        try (Arena arena = bump.openArena()) {
            address = arena.allocate(64, 8).address();
        }
        assertEquals(0, bump.used());
        try (Arena arena = bump.openArena()) {
            assertEquals(address, arena.allocate(64, 8).address());
        }
    }

    @Test
    void allocate_zeroSize_returnsZeroLengthSegmentInScope() {
        try (Arena arena = bump.openArena()) {
            MemorySegment s = arena.allocate(0, 8);

            assertEquals(0, s.byteSize());
            assertEquals(arena.scope(), s.scope());
        }
    }

    @Test
    void allocate_afterClose_throwsIllegalState() {
        Arena arena = bump.openArena();
        arena.close();

        assertThrows(IllegalStateException.class, () -> arena.allocate(8, 8));
        assertThrows(IllegalStateException.class, arena::close);
    }

    @Test
    void allocate_badSize_throwsIllegalArgument() {
        try (Arena arena = bump.openArena()) {
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1, 8));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 3));
        }
    }

    @Test
    void allocateAndAccess_fromOtherThread_throwWrongThread() throws Exception {
        try (Arena arena = bump.openArena()) {
            MemorySegment s = arena.allocate(8, 8);

            assertWrongThread(() -> arena.allocate(8, 8));
            assertWrongThread(() -> s.get(ValueLayout.JAVA_LONG, 0));
            assertWrongThread(arena::close);
        }
    }

    private static void assertWrongThread(Runnable action) throws InterruptedException {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> CompletableFuture.runAsync(action, r -> new Thread(r).start()).get());
        assertTrue(e.getCause() instanceof WrongThreadException, String.valueOf(e.getCause()));
    }

    @Test
    void close_outOfOrder_throwsScopeMisuseAndKeepsBothOpen() {
        Arena outer = bump.openArena();
        Arena inner = bump.openArena();
        MemorySegment s = outer.allocate(8, 8);

        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, outer::close);

        assertEquals(AllocatorMisuseException.Kind.SCOPE, e.kind());
        assertTrue(e.getMessage().contains("scoped arena closed out of order"), e.getMessage());
        assertTrue(outer.scope().isAlive());
        s.set(ValueLayout.JAVA_LONG, 0, 1);
        inner.close();
        outer.close();
    }

    @Test
    void resetAndClose_whileScopedArenaOpen_throwScopeMisuse() {
        Arena arena = bump.openArena();
        MemorySegment s = arena.allocate(8, 8);

        assertThrows(AllocatorMisuseException.class, bump::reset);
        assertThrows(AllocatorMisuseException.class, bump::close);
        s.set(ValueLayout.JAVA_LONG, 0, 1); // chunk still allocated
        arena.close();
    }

    @Test
    void openScoped_usesThreadStack() {
        try {
            try (Arena arena = BumpArena.openScoped()) {
                arena.allocate(Layout.of(64, 8).size());
                assertEquals(64, BumpArena.threadStack().used());
            }
            assertEquals(0, BumpArena.threadStack().used());
        } finally {
            BumpArena.releaseThreadStack();
        }
    }
}
