package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

/** {@link ScopedArenaPool}: the bump arenas behind a virtual thread's {@link BumpArena#openScoped()}. */
class ScopedArenaPoolTest {

    @Test
    void open_afterAScopeClosed_reusesItsArena() {
        ScopedArenaPool pool = new ScopedArenaPool(2);
        try (Arena arena = pool.open()) {
            arena.allocate(64, 8);
        }
        assertEquals(1, pool.idle());
        for (int i = 0; i < 100; i++) {
            try (Arena arena = pool.open()) {
                arena.allocate(64, 8).fill((byte) i);
            }
        }
        assertEquals(1, pool.created(), "one scope at a time needs one arena");
        assertEquals(1, pool.idle());
    }

    @Test
    void open_moreScopesAtOnceThanSlots_closesTheArenasThatDoNotFit() {
        ScopedArenaPool pool = new ScopedArenaPool(2);
        Arena[] open = new Arena[5];
        for (int i = 0; i < open.length; i++) {
            open[i] = pool.open();
            open[i].allocate(64, 8);
        }
        // Nested scopes over independent arenas: any order of closing is fine.
        for (Arena arena : open) {
            arena.close();
        }
        assertEquals(5, pool.created());
        assertEquals(2, pool.idle(), "the pool keeps at most one idle arena per slot");
    }

    @Test
    void close_scopeThatGrewPastThePooledLimit_returnsItsMemoryInsteadOfPoolingIt() {
        ScopedArenaPool pool = new ScopedArenaPool(2);
        try (Arena arena = pool.open()) {
            arena.allocate(ScopedArenaPool.POOLED_CHUNK_LIMIT + 1, 8);
        }
        assertEquals(0, pool.idle());
    }

    @Test
    void segment_afterItsScopeClosedAndTheArenaReused_isNotAccessible() {
        ScopedArenaPool pool = new ScopedArenaPool(1);
        MemorySegment old;
        try (Arena arena = pool.open()) {
            old = arena.allocate(64, 8);
            old.set(ValueLayout.JAVA_LONG, 0, 7);
        }
        try (Arena arena = pool.open()) {
            MemorySegment reused = arena.allocate(64, 8);
            reused.set(ValueLayout.JAVA_LONG, 0, 9);
            assertThrows(IllegalStateException.class, () -> old.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(9, reused.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void openScoped_onVirtualThreads_usesThePoolNotAThreadStack() throws Exception {
        ScopedArenaPool pool = ScopedArenaPool.VIRTUAL_THREADS;
        Thread.ofVirtual().start(() -> {
            try (Arena arena = BumpArena.openScoped()) {
                arena.allocate(64, 8);
            }
        }).join();
        assertTrue(pool.idle() >= 1, "idle=" + pool.idle());
    }
}
