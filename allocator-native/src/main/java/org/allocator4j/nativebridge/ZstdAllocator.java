package org.allocator4j.nativebridge;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * zstd's allocation hook over a {@link NativeBridge}: the {@code ZSTD_customMem} that zstd's
 * {@code *_advanced} constructors take by value, and compression and decompression contexts made with it.
 *
 * <pre>{@code
 * try (NativeBridge bridge = NativeBridge.open(tracking)) {
 *     ZstdAllocator zstd = ZstdAllocator.of(bridge);
 *     MemorySegment cctx = zstd.createCompressionContext();   // its workspace comes from `tracking`
 *     // ... ZSTD_compressCCtx(cctx, ...) through your binding ...
 *     ZstdAllocator.freeCompressionContext(cctx);
 * }
 * }</pre>
 *
 * <p>Needs {@code libzstd.so.1} (Debian: {@code libzstd1}); {@link #isAvailable()} says whether it loads.
 * The bridge must stay open while a context made with it lives: zstd frees a context's memory through it.
 *
 * @implNote Thread-safe; a zstd context itself is used by one thread at a time, as zstd requires.
 */
public final class ZstdAllocator {
    private final NativeBridge bridge;
    private final MemorySegment customMem;

    private ZstdAllocator(NativeBridge bridge) {
        this.bridge = bridge;
        this.customMem = bridge.allocateInArena(Zstd.CUSTOM_MEM);
        customMem.set(ValueLayout.ADDRESS, 0, bridge.pointer(CFunction.MALLOC_WITH_CONTEXT));
        customMem.set(ValueLayout.ADDRESS, 8, bridge.pointer(CFunction.FREE_WITH_CONTEXT));
        // opaque stays NULL: the stubs are bound to the bridge and ignore it
    }

    /**
     * {@return zstd's hook over {@code bridge}}
     *
     * @param bridge the bridge whose allocator zstd's contexts allocate from
     * @throws IllegalStateException if the bridge is closed
     */
    public static ZstdAllocator of(NativeBridge bridge) {
        return new ZstdAllocator(Objects.requireNonNull(bridge, "bridge"));
    }

    /** {@return whether {@code libzstd.so.1} can be loaded} */
    public static boolean isAvailable() {
        return NativeLibrary.ZSTD.isAvailable();
    }

    /** {@return the bridge zstd allocates through} */
    public NativeBridge bridge() {
        return bridge;
    }

    /**
     * {@return the {@code ZSTD_customMem} struct ({@code customAlloc}, {@code customFree}, {@code opaque}),
     * valid while the bridge is open} Pass it by value to any of zstd's {@code *_advanced} functions.
     */
    public MemorySegment customMem() {
        return customMem;
    }

    /**
     * {@return a new {@code ZSTD_CCtx*} whose memory comes from the bridge's allocator}
     *
     * @throws UnsupportedOperationException if {@code libzstd.so.1} cannot be loaded
     * @throws IllegalStateException         if zstd returned NULL (the allocator failed: see the bridge's
     *                                       {@link NativeBridge#lastFailure() last failure})
     */
    public MemorySegment createCompressionContext() {
        return created(Zstd.createCCtxAdvanced(customMem), "ZSTD_createCCtx_advanced");
    }

    /**
     * {@return a new {@code ZSTD_DCtx*} whose memory comes from the bridge's allocator}
     *
     * @throws UnsupportedOperationException if {@code libzstd.so.1} cannot be loaded
     * @throws IllegalStateException         if zstd returned NULL (the allocator failed)
     */
    public MemorySegment createDecompressionContext() {
        return created(Zstd.createDCtxAdvanced(customMem), "ZSTD_createDCtx_advanced");
    }

    /**
     * Frees a compression context (zstd frees its memory through the bridge that made it).
     *
     * @param cctx a context from {@link #createCompressionContext()}, or NULL
     */
    public static void freeCompressionContext(MemorySegment cctx) {
        Zstd.freeCCtx(cctx);
    }

    /**
     * Frees a decompression context.
     *
     * @param dctx a context from {@link #createDecompressionContext()}, or NULL
     */
    public static void freeDecompressionContext(MemorySegment dctx) {
        Zstd.freeDCtx(dctx);
    }

    private MemorySegment created(MemorySegment context, String function) {
        if (context.address() == 0) {
            throw bridge.returnedNull(function);
        }
        return context;
    }
}
