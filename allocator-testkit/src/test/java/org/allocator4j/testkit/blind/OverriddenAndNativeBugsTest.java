package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs of kinds {@link BugKind#OVERRIDDEN_DEFAULT} and {@link BugKind#NOT_NATIVE} show under
 * the condition their javadoc gives, and not outside it.
 */
class OverriddenAndNativeBugsTest {
    private static final Layout BLOCK = Layout.of(64, 8);

    @Test
    void segmentAllocatorIgnoresAlignment_adapterAt64_misaligned() {
        GlobalAllocator allocator = new SegmentAllocatorIgnoresAlignment();
        assertFalse(EdgeAndPairingBugsTest.misalignedOnce(allocator, Layout.of(64, 64)), "allocate: right");
        MemorySegment segment = allocator.asSegmentAllocator().allocate(64, 64);
        assertFalse(Layout.of(64, 64).isAligned(segment.address()));
        allocator.deallocate(segment, Layout.of(64, 64));
    }

    @Test
    void arenaOutlivesClose_segmentAfterClose_stillAccessible() {
        MemorySegment right;
        try (Arena arena = GlobalAllocator.system().openArena()) {
            right = arena.allocate(64, 8);
        }
        assertThrows(IllegalStateException.class, () -> right.get(ValueLayout.JAVA_BYTE, 0), "the default: right");
        ArenaOutlivesClose allocator = new ArenaOutlivesClose();
        try {
            MemorySegment late;
            try (Arena arena = allocator.openArena()) {
                late = arena.allocate(64, 8);
            }
            assertDoesNotThrow(() -> late.get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            allocator.close();
        }
    }

    @Test
    void arenaBumpOverlaps_paddedRequestThenAnother_overlap() {
        GlobalAllocator allocator = new ArenaBumpOverlaps();
        try (Arena arena = allocator.openArena()) {
            arena.allocate(3, 1);
            MemorySegment padded = arena.allocate(8, 8);
            MemorySegment next = arena.allocate(4, 1);
            assertTrue(next.address() < padded.address() + padded.byteSize() && next.address() >= padded.address(),
                    "padded at 0x" + Long.toHexString(padded.address()) + ", next at 0x"
                            + Long.toHexString(next.address()));
        }
    }

    @Test
    void arenaEvictsOldest_65thAllocation_oldestReusedWhileOpen() {
        ArenaEvictsOldest allocator = new ArenaEvictsOldest();
        try (Arena arena = allocator.openArena()) {
            MemorySegment oldest = arena.allocate(64, 8);
            for (int i = 0; i < 64; i++) {
                arena.allocate(64, 8);
            }
            MemorySegment reused = allocator.allocate(BLOCK);
            assertTrue(oldest.scope().isAlive());
            assertEquals(oldest.address(), reused.address());
            allocator.deallocate(reused, BLOCK);
        } finally {
            allocator.close();
        }
    }

    @Test
    void zeroedTailDirtyAfterReuse_reusedSize13_tailNotZeroed() {
        ZeroedTailDirtyAfterReuse allocator = new ZeroedTailDirtyAfterReuse();
        try {
            assertTrue(zeroedAfterReuse(allocator, Layout.of(16, 8)), "a multiple of 8: right");
            assertFalse(zeroedAfterReuse(allocator, Layout.of(13, 1)));
        } finally {
            allocator.close();
        }
    }

    @Test
    void reallocLosesLastPage_keptBytesMultipleOfPage_lastPageLost() {
        GlobalAllocator allocator = new ReallocLosesLastPage();
        assertTrue(EdgeAndPairingBugsTest.reallocKeeps(allocator, Layout.of(5000, 8), 8000, 31), "5000 bytes: right");
        assertFalse(EdgeAndPairingBugsTest.reallocKeeps(allocator, Layout.of(8192, 8), 12288, 32));
    }

    @Test
    void tinyBlocksOnHeap_8Bytes_heapSegment() {
        GlobalAllocator allocator = new TinyBlocksOnHeap();
        MemorySegment native17 = allocator.allocate(Layout.of(17, 8));
        assertTrue(native17.isNative(), "17 bytes: right");
        allocator.deallocate(native17, Layout.of(17, 8));
        MemorySegment tiny = allocator.allocate(Layout.of(8, 8));
        assertFalse(tiny.isNative());
        assertTrue(tiny.heapBase().isPresent());
        assertEquals(0, tiny.address());
        allocator.deallocate(tiny, Layout.of(8, 8));
    }

    @Test
    void zeroedFromJavaArrays_allocateZeroed100_heapSegment() {
        GlobalAllocator allocator = new ZeroedFromJavaArrays();
        MemorySegment plain = allocator.allocate(Layout.of(100, 8));
        assertTrue(plain.isNative(), "allocate: right");
        allocator.deallocate(plain, Layout.of(100, 8));
        MemorySegment zeroed = allocator.allocateZeroed(Layout.of(100, 8));
        assertFalse(zeroed.isNative());
        allocator.deallocate(zeroed, Layout.of(100, 8));
    }

    @Test
    void autoArenaBlocks_liveBlockDropped_itsScopeIsCollected() throws InterruptedException {
        GlobalAllocator allocator = new AutoArenaBlocks();
        MemorySegment block = allocator.allocate(BLOCK);
        long address = block.address();
        WeakReference<MemorySegment.Scope> scope = new WeakReference<>(block.scope());
        block = null; // the caller keeps only the address, as the contract allows
        for (int i = 0; i < 50 && scope.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(scope.get(), "the block's arena, and so its memory, went to the GC while the block was live");
        allocator.deallocate(MemorySegment.ofAddress(address), BLOCK);
    }

    @Test
    void threadConfinedBlocks_smallBlockReadByAnotherThread_wrongThread() throws Exception {
        GlobalAllocator allocator = new ThreadConfinedBlocks();
        MemorySegment big = allocator.allocate(Layout.of(300, 8));
        MemorySegment small = allocator.allocate(BLOCK);
        CompletableFuture<Throwable> bigRead = readElsewhere(big);
        CompletableFuture<Throwable> smallRead = readElsewhere(small);
        assertNull(bigRead.get(), "300 bytes: right");
        assertTrue(smallRead.get() instanceof WrongThreadException, String.valueOf(smallRead.get()));
        allocator.deallocate(big, Layout.of(300, 8));
        allocator.deallocate(small, BLOCK);
    }

    @Test
    void headerOffsetMisderived_reallocAlignment4_contentsShifted() {
        GlobalAllocator allocator = new HeaderOffsetMisderived();
        assertTrue(EdgeAndPairingBugsTest.reallocKeeps(allocator, Layout.of(64, 8), 128, 41), "alignment 8: right");
        assertFalse(EdgeAndPairingBugsTest.reallocKeeps(allocator, Layout.of(64, 4), 128, 42));
    }

    private static CompletableFuture<Throwable> readElsewhere(MemorySegment block) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                block.get(ValueLayout.JAVA_BYTE, 0);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    private static boolean zeroedAfterReuse(GlobalAllocator allocator, Layout layout) {
        allocator.deallocate(allocator.allocate(layout).fill((byte) 0x33), layout);
        MemorySegment zeroed = allocator.allocateZeroed(layout);
        boolean zero = Bytes.zero(zeroed, 0, layout.size());
        allocator.deallocate(zeroed, layout);
        return zero;
    }
}
