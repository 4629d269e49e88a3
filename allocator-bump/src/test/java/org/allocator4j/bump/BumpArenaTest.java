package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BumpArenaTest {
    private final RecordingAllocator parent = new RecordingAllocator();
    private final BumpArena arena = BumpArena.builder().parent(parent).firstChunkSize(1024).maxChunkSize(8192).build();

    @AfterEach
    void closeArena() {
        arena.close();
        assertTrue(parent.live.isEmpty(), "close() returns every chunk; still live: " + parent.live);
    }

    @Test
    void allocate_zeroSize_returnsDanglingAndTakesNoChunk() {
        MemorySegment block = arena.allocate(Layout.of(0, 64));

        assertEquals(64, block.address());
        assertEquals(0, block.byteSize());
        assertEquals(0, arena.chunks());
        arena.deallocate(block, Layout.of(0, 64));
        assertEquals(0, arena.used());
    }

    @Test
    void allocate_firstRequest_takesFirstChunkLazily() {
        assertEquals(0, parent.allocations);

        arena.allocate(Layout.of(10, 1));

        assertEquals(1, arena.chunks());
        assertEquals(1024, arena.capacity());
        assertEquals(10, arena.used());
        assertEquals(1014, arena.remaining());
    }

    @Test
    void allocate_bumpsDownwards() {
        MemorySegment a = arena.allocate(Layout.of(16, 8));
        MemorySegment b = arena.allocate(Layout.of(16, 8));

        assertEquals(a.address() - 16, b.address());
    }

    @Test
    void allocate_chunkFull_growsGeometricallyUpToCap() {
        for (int i = 0; i < 40; i++) {
            arena.allocate(Layout.of(1000, 8));
        }

        var sizes = parent.live.values().stream().mapToLong(Layout::size).toArray();
        assertEquals(1024, sizes[0]);
        assertEquals(2048, sizes[1]);
        assertEquals(4096, sizes[2]);
        assertEquals(8192, sizes[3]);
        assertEquals(8192, sizes[4], "capped at maxChunkSize");
    }

    @Test
    void allocate_largerThanNextChunk_getsItsOwnChunkAndGrowthContinues() {
        arena.allocate(Layout.of(8, 8));
        MemorySegment big = arena.allocate(Layout.of(100_000, 8));
        arena.allocate(Layout.of(100_000 - 7, 1)); // the big chunk is full now

        var sizes = parent.live.values().stream().mapToLong(Layout::size).toArray();
        assertEquals(100_000, sizes[1]);
        assertEquals(100_000 - 7, sizes[2], "a request larger than the next chunk gets a chunk of its own size");
        assertEquals(100_000, big.byteSize());
        arena.allocate(Layout.of(1500, 8));

        assertEquals(2048, parent.live.values().stream().mapToLong(Layout::size).toArray()[3],
                "dedicated chunks do not change the geometric sequence");
    }

    @Test
    void allocate_overAligned_isAligned() {
        arena.allocate(Layout.of(3, 1));
        MemorySegment block = arena.allocate(Layout.of(100, 4096));

        assertEquals(0, block.address() % 4096);
        assertEquals(100, block.byteSize());
    }

    @Test
    void allocate_overLimit_throwsLimitExceededAndStaysUsable() {
        BumpArena limited = BumpArena.builder().parent(parent).firstChunkSize(1024).limit(3000).build();
        try {
            limited.allocate(Layout.of(1000, 8));
            limited.allocate(Layout.of(1000, 8)); // second chunk, 1976 bytes: the rest under the limit

            BumpLimitExceededException e = assertThrows(BumpLimitExceededException.class,
                    () -> limited.allocate(Layout.of(2000, 8)));

            assertEquals(3000, e.limit());
            assertEquals(3000, e.held());
            assertTrue(e.getMessage().contains("limit=3000"), e.getMessage());
            assertTrue(e.getMessage().contains("size=2000"), e.getMessage());
            assertEquals(3000, limited.capacity());
            MemorySegment stillWorks = limited.allocate(Layout.of(500, 8));
            assertEquals(500, stillWorks.byteSize());
        } finally {
            limited.close();
        }
    }

    @Test
    void allocate_parentFails_throwsAllocationExceptionNamingArenaAndStaysUsable() {
        parent.failNext = true;

        AllocationException e = assertThrows(AllocationException.class, () -> arena.allocate(Layout.of(64, 8)));

        assertEquals("bump-arena", e.allocatorName());
        assertTrue(e.getMessage().contains("recording"), e.getMessage());
        assertEquals(0, arena.capacity());
        assertEquals(64, arena.allocate(Layout.of(64, 8)).byteSize());
    }

    @Test
    void allocate_hugeSize_throwsAllocationException() {
        assertThrows(AllocationException.class, () -> arena.allocate(Layout.of(Long.MAX_VALUE / 2, 8)));
        assertEquals(8, arena.allocate(Layout.of(8, 8)).byteSize());
    }

    @Test
    void deallocate_lastBlock_givesBytesBack() {
        arena.allocate(Layout.of(24, 8));
        long used = arena.used();
        MemorySegment last = arena.allocate(Layout.of(96, 8));

        arena.deallocate(last, Layout.of(96, 8));

        assertEquals(used, arena.used());
        assertEquals(last.address(), arena.allocate(Layout.of(96, 8)).address());
    }

    @Test
    void deallocate_lastBlockBelowPadding_losesOnlyThePadding() {
        arena.allocate(Layout.of(24, 8));
        MemorySegment last = arena.allocate(Layout.of(100, 8)); // 4 bytes of padding above it

        arena.deallocate(last, Layout.of(100, 8));

        assertEquals(28, arena.used());
        assertEquals(last.address(), arena.allocate(Layout.of(100, 8)).address());
    }

    @Test
    void deallocate_notLastBlock_doesNothing() {
        MemorySegment first = arena.allocate(Layout.of(24, 8));
        arena.allocate(Layout.of(24, 8));
        long used = arena.used();

        arena.deallocate(first, Layout.of(24, 8));

        assertEquals(used, arena.used());
    }

    @Test
    void reallocate_lastBlockGrows_inItsChunkKeepingContents() {
        MemorySegment block = arena.allocate(Layout.of(16, 8));
        block.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
        block.set(ValueLayout.JAVA_LONG, 8, 42);
        long capacity = arena.capacity();

        MemorySegment grown = arena.reallocate(block, Layout.of(16, 8), 64);

        assertEquals(64, grown.byteSize());
        assertEquals(block.address() + 16, grown.address() + 64, "ends where the old block ended");
        assertEquals(0x1122334455667788L, grown.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(42, grown.get(ValueLayout.JAVA_LONG, 8));
        assertEquals(64, arena.used());
        assertEquals(capacity, arena.capacity());
    }

    @Test
    void reallocate_lastBlockShrinks_givesBytesBack() {
        MemorySegment block = arena.allocate(Layout.of(64, 8));
        block.set(ValueLayout.JAVA_LONG, 0, 7);

        MemorySegment shrunk = arena.reallocate(block, Layout.of(64, 8), 8);

        assertEquals(8, shrunk.byteSize());
        assertEquals(7, shrunk.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(8, arena.used());
    }

    @Test
    void reallocate_notLastBlock_copiesToNewBlock() {
        MemorySegment block = arena.allocate(Layout.of(16, 8));
        block.set(ValueLayout.JAVA_LONG, 0, 99);
        arena.allocate(Layout.of(16, 8));

        MemorySegment moved = arena.reallocate(block, Layout.of(16, 8), 32);

        assertNotEquals(block.address(), moved.address());
        assertEquals(99, moved.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void reallocate_toZero_freesAndReturnsDangling() {
        MemorySegment block = arena.allocate(Layout.of(32, 16));

        MemorySegment dangling = arena.reallocate(block, Layout.of(32, 16), 0);

        assertEquals(16, dangling.address());
        assertEquals(0, arena.used());
    }

    @Test
    void reallocate_zeroSizeBlock_allocates() {
        MemorySegment grown = arena.reallocate(Layout.of(0, 8).dangling(), Layout.of(0, 8), 24);

        assertEquals(24, grown.byteSize());
        assertEquals(24, arena.used());
    }

    @Test
    void reset_keepsLargestChunkOnly() {
        for (int i = 0; i < 10; i++) {
            arena.allocate(Layout.of(1000, 8));
        }
        assertTrue(arena.chunks() > 2);

        arena.reset();

        assertEquals(1, arena.chunks());
        assertEquals(8192, arena.capacity());
        assertEquals(8192, parent.liveBytes());
        assertEquals(0, arena.used());
        assertEquals(8192, arena.remaining());
    }

    @Test
    void reset_thenAllocate_reusesKeptChunk() {
        arena.allocate(Layout.of(100, 8));
        arena.reset();
        int before = parent.allocations;

        arena.allocate(Layout.of(100, 8));

        assertEquals(before, parent.allocations);
    }

    @Test
    void close_twice_doesNothing() {
        arena.allocate(Layout.of(100, 8));
        arena.close();

        arena.close();

        assertTrue(parent.live.isEmpty());
    }

    @Test
    void allocate_afterClose_throwsIllegalState() {
        arena.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> arena.allocate(Layout.of(8, 8)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, arena::reset);
        assertThrows(IllegalStateException.class, arena::push);
    }

    @Test
    void asSegmentAllocator_allocatesFromArena() {
        MemorySegment s = arena.asSegmentAllocator().allocate(ValueLayout.JAVA_INT, 5);

        assertEquals(20, s.byteSize());
        assertEquals(20, arena.used());
        assertEquals("bump-arena", arena.name());
    }

    @Test
    void builder_badSizes_throwNamingValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> BumpArena.builder().firstChunkSize(8));
        assertTrue(e.getMessage().contains("firstChunkSize=8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BumpArena.builder().limit(-1));
        assertTrue(e.getMessage().contains("limit=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BumpArena.builder().maxChunkSize(0));
        assertTrue(e.getMessage().contains("maxChunkSize=0"), e.getMessage());
    }
}
