package org.allocator4j.nativebridge;

import static org.allocator4j.nativebridge.CFunction.ALIGNED_ALLOC;
import static org.allocator4j.nativebridge.CFunction.CALLOC;
import static org.allocator4j.nativebridge.CFunction.CALLOC_WITH_CONTEXT;
import static org.allocator4j.nativebridge.CFunction.FREE;
import static org.allocator4j.nativebridge.CFunction.FREE_WITH_CONTEXT;
import static org.allocator4j.nativebridge.CFunction.LUA_ALLOC;
import static org.allocator4j.nativebridge.CFunction.MALLOC;
import static org.allocator4j.nativebridge.CFunction.MALLOC_WITH_CONTEXT;
import static org.allocator4j.nativebridge.CFunction.REALLOC;
import static org.allocator4j.nativebridge.CFunction.REALLOC_WITH_CONTEXT;
import static org.allocator4j.nativebridge.NativeCaller.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterProperty;

import org.allocator4j.api.GlobalAllocator;

/**
 * The C-level contract of a {@link NativeBridge} over any allocator, driven through its function pointers
 * from a native caller (a downcall into each stub): alignment, NULL on failure, {@code realloc} keeps
 * contents, {@code free(NULL)}, the edge cases of each {@link CFunction}. A subclass gives the allocator.
 */
abstract class NativeBridgeContract {
    /** A size no allocator can provide and the bridge can record: 2^55 bytes (32 PiB). */
    static final long IMPOSSIBLE = 1L << 55;

    private final NativeBridge bridge = NativeBridge.open(allocator());

    /** {@return a fresh allocator for one property's bridge} */
    abstract GlobalAllocator allocator();

    NativeBridge bridge() {
        return bridge;
    }

    @AfterProperty
    void closeBridge() {
        bridge.close();
    }

    @Property
    void malloc_anySize_returnsAlignedBlockThatKeepsItsBytes(@ForAll @LongRange(max = 1 << 17) long size,
                                                            @ForAll int seed) {
        long p = call(bridge, MALLOC, size);

        assertNotEquals(0L, p);
        assertEquals(0L, p % CAllocator.MAX_ALIGN, String.format("malloc(%d)=%x aligned to 16", size, p));
        NativeCaller.fill(p, size, seed);
        assertEquals(-1L, NativeCaller.firstMismatch(p, size, seed));
        assertEquals(Math.max(1, size), bridge.sizeOf(MemorySegment.ofAddress(p)));
        call(bridge, FREE, p);
        assertEquals(0L, bridge.liveBlocks());
        assertEquals(0L, bridge.unknownPointers());
    }

    @Property
    void malloc_manyLiveBlocks_neverOverlap(@ForAll @IntRange(min = 1, max = 300) int count,
                                            @ForAll @LongRange(min = 1, max = 4096) long size) {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long p = call(bridge, MALLOC, size);
            NativeCaller.fill(p, size, i);
            blocks.add(p);
        }
        assertEquals(count, bridge.liveBlocks());
        assertEquals(count * size, bridge.liveBytes());
        for (int i = 0; i < count; i++) {
            assertEquals(-1L, NativeCaller.firstMismatch(blocks.get(i), size, i), String.format("block %d", i));
            call(bridge, FREE, blocks.get(i));
        }
        assertEquals(0L, bridge.liveBlocks());
        assertEquals(0L, bridge.liveBytes());
    }

    @Property
    void calloc_anyCountAndSize_returnsZeroedAlignedBlock(@ForAll @LongRange(max = 512) long count,
                                                         @ForAll @LongRange(max = 512) long size) {
        long p = call(bridge, CALLOC, count, size);

        assertEquals(0L, p % CAllocator.MAX_ALIGN);
        MemorySegment block = NativeCaller.block(p, count * size);
        for (long i = 0; i < count * size; i++) {
            assertEquals(0L, block.get(ValueLayout.JAVA_BYTE, i), String.format("byte %d", i));
        }
        call(bridge, FREE, p);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Example
    void calloc_productOverflows_returnsNullAndCountsFailure() {
        assertEquals(0L, call(bridge, CALLOC, 1L << 33, 1L << 31));
        assertEquals(0L, call(bridge, CALLOC, -1L, 2));

        assertEquals(2L, bridge.failures());
        assertTrue(bridge.lastFailure().orElseThrow().toString().contains("overflows"), bridge.lastFailure().toString());
        assertEquals(0L, bridge.liveBlocks());
    }

    @Property
    void alignedAlloc_powerOfTwo_returnsBlockAlignedToIt(@ForAll @IntRange(max = 16) int log2,
                                                        @ForAll @LongRange(min = 1, max = 8192) long size) {
        long alignment = 1L << log2;
        long p = call(bridge, ALIGNED_ALLOC, alignment, size);

        assertNotEquals(0L, p);
        assertEquals(0L, p % Math.max(alignment, CAllocator.MAX_ALIGN));
        NativeCaller.fill(p, size, log2);
        long q = call(bridge, REALLOC, p, size * 2);
        assertEquals(0L, q % Math.max(alignment, CAllocator.MAX_ALIGN), "realloc keeps the alignment");
        assertEquals(-1L, NativeCaller.firstMismatch(q, size, log2));
        call(bridge, FREE, q);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Example
    void alignedAlloc_notPowerOfTwo_returnsNull() {
        assertEquals(0L, call(bridge, ALIGNED_ALLOC, 24, 64));
        assertEquals(0L, call(bridge, ALIGNED_ALLOC, 0, 64));

        assertEquals(2L, bridge.failures());
        assertTrue(bridge.lastFailure().orElseThrow().toString().contains("alignment=0"), bridge.lastFailure().toString());
    }

    @Property
    void realloc_anyNewSize_keepsContentsUpToTheSmallerSize(@ForAll @LongRange(min = 1, max = 1 << 16) long size,
                                                           @ForAll @LongRange(min = 1, max = 1 << 16) long newSize,
                                                           @ForAll int seed) {
        long p = call(bridge, MALLOC, size);
        NativeCaller.fill(p, size, seed);

        long q = call(bridge, REALLOC, p, newSize);

        assertNotEquals(0L, q);
        assertEquals(0L, q % CAllocator.MAX_ALIGN);
        assertEquals(-1L, NativeCaller.firstMismatch(q, Math.min(size, newSize), seed));
        assertEquals(newSize, bridge.sizeOf(MemorySegment.ofAddress(q)));
        assertEquals(1L, bridge.liveBlocks());
        call(bridge, FREE, q);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Example
    void realloc_null_allocates() {
        long p = call(bridge, REALLOC, 0, 100);

        assertNotEquals(0L, p);
        assertEquals(100L, bridge.sizeOf(MemorySegment.ofAddress(p)));
        call(bridge, FREE, p);
    }

    @Example
    void realloc_toZero_freesAndReturnsNull() {
        long p = call(bridge, MALLOC, 100);

        assertEquals(0L, call(bridge, REALLOC, p, 0));

        assertEquals(0L, bridge.liveBlocks());
        assertEquals(0L, bridge.failures());
    }

    @Example
    void realloc_impossibleSize_returnsNullAndKeepsTheBlock() {
        long p = call(bridge, MALLOC, 64);
        NativeCaller.fill(p, 64, 5);

        assertEquals(0L, call(bridge, REALLOC, p, IMPOSSIBLE));

        assertEquals(1L, bridge.failures());
        assertEquals(1L, bridge.liveBlocks());
        assertEquals(-1L, NativeCaller.firstMismatch(p, 64, 5));
        long q = call(bridge, REALLOC, p, 128);
        assertEquals(-1L, NativeCaller.firstMismatch(q, 64, 5), "the kept block is still usable");
        call(bridge, FREE, q);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Example
    void malloc_impossibleSize_returnsNullAndCountsFailure() {
        assertEquals(0L, call(bridge, MALLOC, IMPOSSIBLE));
        assertEquals(0L, call(bridge, MALLOC, -1L), "SIZE_MAX");

        assertEquals(2L, bridge.failures());
        assertTrue(bridge.lastFailure().isPresent());
        long p = call(bridge, MALLOC, 32);
        assertNotEquals(0L, p, "the bridge keeps working after a failure");
        call(bridge, FREE, p);
    }

    @Example
    void free_null_doesNothing() {
        call(bridge, FREE, 0);
        call(bridge, FREE_WITH_CONTEXT, 1234, 0);

        assertEquals(0L, bridge.unknownPointers());
        assertEquals(0L, bridge.failures());
    }

    @Example
    void free_twiceOrInsideABlock_isCountedAndNeverForwarded() {
        long p = call(bridge, MALLOC, 64);
        long q = call(bridge, MALLOC, 64);

        call(bridge, FREE, q + 16);
        call(bridge, FREE, p);
        call(bridge, FREE, p);
        assertEquals(0L, call(bridge, REALLOC, p, 128));

        assertEquals(3L, bridge.unknownPointers());
        assertEquals(1L, bridge.liveBlocks());
        call(bridge, FREE, q);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Property
    void withContext_anyContext_behavesAsThePlainFunctions(@ForAll long ud,
                                                          @ForAll @LongRange(min = 1, max = 4096) long size,
                                                          @ForAll int seed) {
        long p = call(bridge, MALLOC_WITH_CONTEXT, ud, size);
        NativeCaller.fill(p, size, seed);
        long q = call(bridge, REALLOC_WITH_CONTEXT, ud, p, size + 100);
        assertEquals(-1L, NativeCaller.firstMismatch(q, size, seed));
        long z = call(bridge, CALLOC_WITH_CONTEXT, ud, 4, size);
        for (long i = 0; i < 4 * size; i++) {
            assertEquals(0L, NativeCaller.block(z, 4 * size).get(ValueLayout.JAVA_BYTE, i));
        }

        call(bridge, FREE_WITH_CONTEXT, ud, q);
        call(bridge, FREE, z);
        assertEquals(0L, bridge.liveBlocks());
        assertEquals(0L, bridge.unknownPointers());
    }

    @Property
    void luaAlloc_lifeOfABlock_followsLuaManual(@ForAll @LongRange(min = 1, max = 1 << 14) long size,
                                                @ForAll @LongRange(min = 1, max = 1 << 14) long newSize,
                                                @ForAll @LongRange(max = 8) long typeTag, @ForAll int seed) {
        long p = call(bridge, LUA_ALLOC, 0, 0, typeTag, size); // ptr == NULL: osize codes the type
        assertNotEquals(0L, p);
        NativeCaller.fill(p, size, seed);

        long q = call(bridge, LUA_ALLOC, 0, p, size, newSize);
        assertEquals(-1L, NativeCaller.firstMismatch(q, Math.min(size, newSize), seed));

        assertEquals(0L, call(bridge, LUA_ALLOC, 0, q, newSize, 0), "nsize == 0 frees and returns NULL");
        assertEquals(0L, call(bridge, LUA_ALLOC, 0, 0, typeTag, 0), "freeing NULL");
        assertEquals(0L, bridge.liveBlocks());
        assertEquals(0L, bridge.unknownPointers());
    }

    @Example
    void luaAlloc_impossibleGrowth_returnsNullAndKeepsTheBlock() {
        long p = call(bridge, LUA_ALLOC, 0, 0, 0, 64);

        assertEquals(0L, call(bridge, LUA_ALLOC, 0, p, 64, IMPOSSIBLE));

        assertEquals(64L, bridge.sizeOf(MemorySegment.ofAddress(p)));
        call(bridge, LUA_ALLOC, 0, p, 64, 0);
        assertEquals(0L, bridge.liveBlocks());
    }

    @Example
    void pointer_afterClose_throwsNamingTheAllocator() {
        bridge.pointer(MALLOC);
        bridge.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bridge.pointer(FREE));
        assertTrue(e.getMessage().contains(bridge.allocator().name()) && e.getMessage().contains("closed"),
                e.getMessage());
        bridge.close(); // twice does nothing
    }
}
