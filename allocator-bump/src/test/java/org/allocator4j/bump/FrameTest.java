package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameTest {
    private final RecordingAllocator parent = new RecordingAllocator();
    private final BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(256).build();

    @AfterEach
    void closeArena() {
        arena.close();
        assertTrue(parent.live.isEmpty());
    }

    @Test
    void close_rewindsToPush() {
        arena.allocate(Layout.of(40, 8));
        long used = arena.used();
        long remaining = arena.remaining();

        try (BumpArena.Frame frame = arena.push()) {
            frame.allocate(Layout.of(100, 8));
            frame.allocate(Layout.of(3, 1));
        }

        assertEquals(used, arena.used());
        assertEquals(remaining, arena.remaining());
    }

    @Test
    void close_afterFrameSpilledIntoNewChunks_keepsThemAsSparesAndReusesThem() {
        arena.allocate(Layout.of(200, 8));
        try (BumpArena.Frame frame = arena.push()) {
            frame.allocate(Layout.of(1000, 8));
            frame.allocate(Layout.of(3000, 8));
        }
        int chunks = arena.chunks();
        int parentCalls = parent.allocations;

        try (BumpArena.Frame frame = arena.push()) {
            frame.allocate(Layout.of(1000, 8));
            frame.allocate(Layout.of(3000, 8));
        }

        assertEquals(chunks, arena.chunks());
        assertEquals(parentCalls, parent.allocations, "spare chunks reused, no parent call");
        assertEquals(200, arena.used());
    }

    @Test
    void close_frameFromBeforeFirstChunk_keepsFirstChunkCurrentAndEmpty() {
        try (BumpArena.Frame frame = arena.push()) {
            frame.allocate(Layout.of(100, 8));
        }
        int parentCalls = parent.allocations;

        assertEquals(0, arena.used());
        assertEquals(256, arena.remaining());
        MemorySegment again = arena.allocate(Layout.of(100, 8));

        assertEquals(parentCalls, parent.allocations);
        assertEquals(104, arena.used(), "100 bytes and the 4 bytes of padding that align the block to 8");
        assertEquals(again.address(), parent.live.keySet().iterator().next() + 256 - 104);
    }

    @Test
    void push_nested_eachCloseRewindsItsLevel() {
        try (BumpArena.Frame outer = arena.push()) {
            MemorySegment a = outer.allocate(Layout.of(16, 8));
            try (BumpArena.Frame inner = arena.push()) {
                inner.allocate(Layout.of(64, 8));
                assertEquals(80, arena.used());
            }
            assertEquals(16, arena.used());
            assertEquals(a.address() - 16, outer.allocate(Layout.of(16, 8)).address());
        }
        assertEquals(0, arena.used());
    }

    @Test
    void close_outOfOrder_throwsScopeMisuseAndChangesNothing() {
        BumpArena.Frame outer = arena.push();
        arena.allocate(Layout.of(16, 8));
        BumpArena.Frame inner = arena.push();
        arena.allocate(Layout.of(16, 8));

        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, outer::close);

        assertEquals(AllocatorMisuseException.Kind.SCOPE, e.kind());
        assertTrue(e.getMessage().contains("frame #1 closed while 1 frame(s) pushed after it"), e.getMessage());
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        assertEquals(32, arena.used());
        inner.close();
        outer.close();
        assertEquals(0, arena.used());
    }

    @Test
    void close_twice_throwsScopeMisuse() {
        BumpArena.Frame frame = arena.push();
        frame.close();

        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, frame::close);

        assertEquals(AllocatorMisuseException.Kind.SCOPE, e.kind());
        assertTrue(e.getMessage().contains("already closed"), e.getMessage());
    }

    @Test
    void close_staleFrameAfterNewPushAtSameDepth_throwsScopeMisuse() {
        BumpArena.Frame stale = arena.push();
        stale.close();
        BumpArena.Frame fresh = arena.push();
        arena.allocate(Layout.of(16, 8));

        assertThrows(AllocatorMisuseException.class, stale::close);
        assertEquals(16, arena.used());
        fresh.close();
    }

    @Test
    void close_afterReset_throwsScopeMisuse() {
        BumpArena.Frame frame = arena.push();
        arena.allocate(Layout.of(16, 8));
        arena.reset();
        arena.push();

        AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class, frame::close);

        assertTrue(e.getMessage().contains("reset"), e.getMessage());
    }

    @Test
    void allocate_throughOuterFrameWhileInnerOpen_throwsScopeMisuse() {
        try (BumpArena.Frame outer = arena.push(); BumpArena.Frame inner = arena.push()) {
            AllocatorMisuseException e = assertThrows(AllocatorMisuseException.class,
                    () -> outer.allocate(Layout.of(8, 8)));

            assertTrue(e.getMessage().contains("frame #2 is the innermost"), e.getMessage());
            assertEquals(8, inner.allocate(Layout.of(8, 8)).byteSize());
        }
    }

    @Test
    void allocate_throughClosedFrame_throwsScopeMisuse() {
        BumpArena.Frame frame = arena.push();
        frame.close();

        assertThrows(AllocatorMisuseException.class, () -> frame.allocate(Layout.of(8, 8)));
        assertEquals(0, arena.used());
    }

    @Test
    void allocateFrom_segmentAllocatorConveniences_allocateInFrame() {
        try (BumpArena.Frame frame = arena.push()) {
            MemorySegment s = frame.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3);

            assertEquals(12, s.byteSize());
            assertEquals(3, s.getAtIndex(ValueLayout.JAVA_INT, 2));
            assertEquals(12, arena.used());
        }
        assertEquals(0, arena.used());
    }

    @Test
    void deallocate_blockFromBeforePush_isNotGivenBackInsideFrame() {
        MemorySegment before = arena.allocate(Layout.of(16, 8));
        try (BumpArena.Frame frame = arena.push()) {
            frame.arena().deallocate(before, Layout.of(16, 8));
            assertEquals(16, arena.used(), "the frame owns the space below its mark only");
            MemorySegment grown = arena.reallocate(before, Layout.of(16, 8), 32);
            MemorySegment next = arena.allocate(Layout.of(8, 8));
            assertTrue(next.address() + 8 <= grown.address() || next.address() >= grown.address() + 32);
        }
        before.set(ValueLayout.JAVA_LONG, 0, 1); // still live after the frame
        assertEquals(16, arena.used());
    }
}
