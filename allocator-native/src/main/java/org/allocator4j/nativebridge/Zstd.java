package org.allocator4j.nativebridge;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The binding of {@code libzstd.so.1} (Debian {@code libzstd1}): the functions {@link ZstdAllocator} and
 * its tests call, linked on first use of this class. Prototypes from {@code zstd.h} (1.5).
 */
final class Zstd {
    /** {@code typedef struct { ZSTD_allocFunction customAlloc; ZSTD_freeFunction customFree; void* opaque; } ZSTD_customMem;} */
    static final StructLayout CUSTOM_MEM = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("customAlloc"),
            ValueLayout.ADDRESS.withName("customFree"),
            ValueLayout.ADDRESS.withName("opaque"));

    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final ValueLayout POINTER = ValueLayout.ADDRESS;

    // ZSTD_CCtx* ZSTD_createCCtx_advanced(ZSTD_customMem customMem); and the DCtx twin (struct by value)
    private static final MethodHandle CREATE_CCTX_ADVANCED = NativeLibrary.ZSTD.downcall("ZSTD_createCCtx_advanced",
            FunctionDescriptor.of(POINTER, CUSTOM_MEM));
    private static final MethodHandle CREATE_DCTX_ADVANCED = NativeLibrary.ZSTD.downcall("ZSTD_createDCtx_advanced",
            FunctionDescriptor.of(POINTER, CUSTOM_MEM));
    // size_t ZSTD_freeCCtx(ZSTD_CCtx* cctx); size_t ZSTD_freeDCtx(ZSTD_DCtx* dctx);
    private static final MethodHandle FREE_CCTX = NativeLibrary.ZSTD.downcall("ZSTD_freeCCtx",
            FunctionDescriptor.of(SIZE_T, POINTER));
    private static final MethodHandle FREE_DCTX = NativeLibrary.ZSTD.downcall("ZSTD_freeDCtx",
            FunctionDescriptor.of(SIZE_T, POINTER));
    // size_t ZSTD_compressCCtx(ZSTD_CCtx*, void* dst, size_t dstCapacity, const void* src, size_t srcSize, int level);
    private static final MethodHandle COMPRESS_CCTX = NativeLibrary.ZSTD.downcall("ZSTD_compressCCtx",
            FunctionDescriptor.of(SIZE_T, POINTER, POINTER, SIZE_T, POINTER, SIZE_T, ValueLayout.JAVA_INT));
    // size_t ZSTD_decompressDCtx(ZSTD_DCtx*, void* dst, size_t dstCapacity, const void* src, size_t srcSize);
    private static final MethodHandle DECOMPRESS_DCTX = NativeLibrary.ZSTD.downcall("ZSTD_decompressDCtx",
            FunctionDescriptor.of(SIZE_T, POINTER, POINTER, SIZE_T, POINTER, SIZE_T));
    // size_t ZSTD_compress(void* dst, size_t dstCapacity, const void* src, size_t srcSize, int level);
    private static final MethodHandle COMPRESS = NativeLibrary.ZSTD.downcall("ZSTD_compress",
            FunctionDescriptor.of(SIZE_T, POINTER, SIZE_T, POINTER, SIZE_T, ValueLayout.JAVA_INT));
    // size_t ZSTD_decompress(void* dst, size_t dstCapacity, const void* src, size_t compressedSize);
    private static final MethodHandle DECOMPRESS = NativeLibrary.ZSTD.downcall("ZSTD_decompress",
            FunctionDescriptor.of(SIZE_T, POINTER, SIZE_T, POINTER, SIZE_T));
    // size_t ZSTD_compressBound(size_t srcSize);
    private static final MethodHandle COMPRESS_BOUND = NativeLibrary.ZSTD.downcall("ZSTD_compressBound",
            FunctionDescriptor.of(SIZE_T, SIZE_T));
    // unsigned ZSTD_isError(size_t code); const char* ZSTD_getErrorName(size_t code);
    private static final MethodHandle IS_ERROR = NativeLibrary.ZSTD.downcall("ZSTD_isError",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, SIZE_T));
    private static final MethodHandle GET_ERROR_NAME = NativeLibrary.ZSTD.downcall("ZSTD_getErrorName",
            FunctionDescriptor.of(POINTER, SIZE_T));

    private Zstd() {
    }

    static MemorySegment createCCtxAdvanced(MemorySegment customMem) {
        try {
            return (MemorySegment) CREATE_CCTX_ADVANCED.invokeExact(customMem);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createDCtxAdvanced(MemorySegment customMem) {
        try {
            return (MemorySegment) CREATE_DCTX_ADVANCED.invokeExact(customMem);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static void freeCCtx(MemorySegment cctx) {
        try {
            check((long) FREE_CCTX.invokeExact(cctx), "ZSTD_freeCCtx");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static void freeDCtx(MemorySegment dctx) {
        try {
            check((long) FREE_DCTX.invokeExact(dctx), "ZSTD_freeDCtx");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the compressed size} @throws IllegalStateException with zstd's error name */
    static long compressCCtx(MemorySegment cctx, MemorySegment dst, MemorySegment src, int level) {
        try {
            return check((long) COMPRESS_CCTX.invokeExact(cctx, dst, dst.byteSize(), src, src.byteSize(), level),
                    "ZSTD_compressCCtx");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the decompressed size} @throws IllegalStateException with zstd's error name */
    static long decompressDCtx(MemorySegment dctx, MemorySegment dst, MemorySegment src) {
        try {
            return check((long) DECOMPRESS_DCTX.invokeExact(dctx, dst, dst.byteSize(), src, src.byteSize()),
                    "ZSTD_decompressDCtx");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the compressed size, zstd allocating with its default allocator} */
    static long compress(MemorySegment dst, MemorySegment src, int level) {
        try {
            return check((long) COMPRESS.invokeExact(dst, dst.byteSize(), src, src.byteSize(), level), "ZSTD_compress");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the decompressed size, zstd allocating with its default allocator} */
    static long decompress(MemorySegment dst, MemorySegment src) {
        try {
            return check((long) DECOMPRESS.invokeExact(dst, dst.byteSize(), src, src.byteSize()), "ZSTD_decompress");
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static long compressBound(long size) {
        try {
            return (long) COMPRESS_BOUND.invokeExact(size);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    private static long check(long code, String function) throws Throwable {
        if ((int) IS_ERROR.invokeExact(code) != 0) {
            throw new IllegalStateException(function + " failed: "
                    + NativeAddresses.cString((MemorySegment) GET_ERROR_NAME.invokeExact(code)));
        }
        return code;
    }
}
