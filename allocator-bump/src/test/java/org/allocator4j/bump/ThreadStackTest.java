package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadStackTest {

    @AfterEach
    void release() {
        BumpArena.releaseThreadStack();
    }

    @Test
    void threadStack_sameThread_returnsSameStack() {
        assertSame(BumpArena.threadStack(), BumpArena.threadStack());
    }

    @Test
    void threadStack_otherThread_hasItsOwn() throws Exception {
        BumpArena mine = BumpArena.threadStack();

        BumpArena theirs = CompletableFuture.supplyAsync(() -> {
            try {
                return BumpArena.threadStack();
            } finally {
                BumpArena.releaseThreadStack();
            }
        }, r -> new Thread(r).start()).get();

        assertNotSame(mine, theirs);
    }

    @Test
    void push_beyond64KiB_growsInsteadOfOverflowing() {
        BumpArena stack = BumpArena.threadStack();
        try (BumpArena.Frame frame = stack.push()) {
            for (int i = 0; i < 10; i++) {
                assertEquals(32 * 1024, frame.allocate(Layout.of(32 * 1024, 16)).byteSize());
            }
            assertTrue(stack.capacity() >= 320 * 1024);
        }
        assertEquals(0, stack.used());
    }

    @Test
    void releaseThreadStack_closesItAndNextCallCreatesNewOne() {
        BumpArena stack = BumpArena.threadStack();
        stack.allocate(Layout.of(8, 8));

        BumpArena.releaseThreadStack();

        assertThrows(IllegalStateException.class, () -> stack.allocate(Layout.of(8, 8)));
        assertNotSame(stack, BumpArena.threadStack());
    }

    @Test
    void releaseThreadStack_whileScopedArenaOpen_throwsAndKeepsStack() {
        BumpArena stack = BumpArena.threadStack();
        Arena scoped = BumpArena.openScoped();

        assertThrows(AllocatorMisuseException.class, BumpArena::releaseThreadStack);

        assertSame(stack, BumpArena.threadStack());
        scoped.close();
    }

    @Test
    void threadStack_afterDirectClose_returnsNewOpenStack() {
        BumpArena closed = BumpArena.threadStack();
        closed.close();

        BumpArena fresh = BumpArena.threadStack();

        assertNotSame(closed, fresh);
        assertEquals(8, fresh.allocate(Layout.of(8, 8)).byteSize());
    }

    @Test
    void closeUnlessScoped_noScopedArenaOpen_returnsEveryChunk() {
        RecordingAllocator parent = new RecordingAllocator();
        ChunkedBumpArena arena = (ChunkedBumpArena) BumpArena.builder().parent(parent).build();
        arena.allocate(Layout.of(100, 8));

        arena.closeUnlessScoped();

        assertTrue(arena.isClosed());
        assertTrue(parent.live.isEmpty());
    }

    @Test
    void closeUnlessScoped_scopedArenaOpen_leaksRatherThanFreesMemoryStillReachable() {
        RecordingAllocator parent = new RecordingAllocator();
        ChunkedBumpArena arena = (ChunkedBumpArena) BumpArena.builder().parent(parent).build();
        Arena scoped = arena.openArena();
        MemorySegment s = scoped.allocate(8, 8);

        arena.closeUnlessScoped();

        s.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 1); // still allocated
        assertEquals(1, parent.live.size());
        scoped.close();
        arena.close();
        assertTrue(parent.live.isEmpty());
    }

    @Test
    void releaseThreadStack_withoutStack_doesNothing() {
        BumpArena.releaseThreadStack();
        BumpArena.releaseThreadStack();
    }
}
