package org.allocator4j.nativebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.tracking.Leak;
import org.allocator4j.tracking.LeakReport;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * zstd compressing and decompressing with its contexts' memory from a bridge, against zstd with its
 * default allocator: the same compressed bytes, the same data back, nothing left live.
 */
class ZstdAllocatorTest {
    private static final int LEVEL = 3;

    @BeforeAll
    static void libzstd() {
        Assumptions.assumeTrue(ZstdAllocator.isAvailable(), "skipped: " + NativeLibrary.ZSTD.soname
                + " cannot be loaded; on Debian: apt-get install " + NativeLibrary.ZSTD.debianPackage);
    }

    @ParameterizedTest
    @EnumSource(Behind.class)
    void compress_oneMebibyteThroughTheBridge_givesTheBytesOfTheDefaultAllocator(Behind behind) {
        roundTrip(behind, 1 << 20);
    }

    @Tag("deep")
    @ParameterizedTest
    @EnumSource(Behind.class)
    void compress_64MebibytesThroughTheBridge_givesTheBytesOfTheDefaultAllocator(Behind behind) {
        roundTrip(behind, 64 << 20);
    }

    /** The README's example: a compression context never freed, found by tracking's leak report. */
    @Test
    void leaks_contextNeverFreed_reportsItsBlocksAndWhereItWasCreated() {
        TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).checked(true).jmx(false).build();
        NativeBridge bridge = NativeBridge.open(tracking);
        MemorySegment cctx = ZstdAllocator.of(bridge).createCompressionContext();

        LeakReport report = tracking.leaks();

        System.out.println(report.format());
        assertFalse(report.isEmpty());
        assertEquals(bridge.liveBlocks(), report.liveBlocks());
        assertEquals(bridge.liveBytes(), report.liveBytes());
        Leak leak = report.leaks().getFirst();
        assertTrue(leak.site().stackTrace().contains("ZstdAllocator.createCompressionContext"), report.format());
        // the test's own cleanup, after the report: free the context, then the stubs
        ZstdAllocator.freeCompressionContext(cctx);
        assertTrue(tracking.leaks().isEmpty(), tracking.leaks().format());
        bridge.close();
        tracking.close();
    }

    @Test
    void createCompressionContext_allocatorFails_throwsNamingTheFailure() {
        TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).budget(1024).jmx(false).build();
        try (NativeBridge bridge = NativeBridge.open(tracking)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ZstdAllocator.of(bridge).createCompressionContext());

            assertTrue(e.getMessage().contains("ZSTD_createCCtx_advanced returned NULL"), e.getMessage());
            assertTrue(e.getMessage().contains("budget"), e.getMessage());
            assertTrue(bridge.failures() > 0);
            assertEquals(0L, tracking.snapshot().liveBytes(), "zstd freed what it had before failing");
        }
        tracking.close();
    }

    private static void roundTrip(Behind behind, long size) {
        try (Arena arena = Arena.ofConfined(); Behind.Opened opened = behind.open()) {
            MemorySegment data = TestData.text(arena, size);
            MemorySegment expected = arena.allocate(Zstd.compressBound(size));
            long expectedSize = Zstd.compress(expected, data, LEVEL);
            MemorySegment compressed = arena.allocate(Zstd.compressBound(size));
            MemorySegment restored = arena.allocate(size);
            long compressedSize;
            long restoredSize;

            try (NativeBridge bridge = NativeBridge.open(opened.allocator())) {
                ZstdAllocator zstd = ZstdAllocator.of(bridge);
                MemorySegment cctx = zstd.createCompressionContext();
                MemorySegment dctx = zstd.createDecompressionContext();
                assertTrue(bridge.liveBytes() > 0, "zstd's contexts live in the bridge's allocator");
                compressedSize = Zstd.compressCCtx(cctx, compressed, data, LEVEL);
                restoredSize = Zstd.decompressDCtx(dctx, restored, compressed.asSlice(0, compressedSize));
                ZstdAllocator.freeCompressionContext(cctx);
                ZstdAllocator.freeDecompressionContext(dctx);
                assertEquals(0L, bridge.liveBlocks(), bridge.toString());
                assertEquals(0L, bridge.failures(), bridge.toString());
                assertEquals(0L, bridge.unknownPointers(), bridge.toString());
            }

            assertEquals(expectedSize, compressedSize);
            assertEquals(-1L, expected.asSlice(0, expectedSize).mismatch(compressed.asSlice(0, compressedSize)),
                    "compressed bytes differ from zstd's default allocator's");
            assertEquals(size, restoredSize);
            assertEquals(-1L, data.mismatch(restored));
            assertTrue(compressedSize < size / 2, "the data compresses: " + compressedSize + " of " + size);
        }
    }
}
