package org.allocator4j.api;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * libc's allocation functions as FFM downcalls, linked once. One of the two files of this module that
 * make restricted FFM calls (the other is {@link ScopedArena}); each such call is under a
 * {@code // SAFETY:} comment.
 *
 * <p>Pointers and {@code size_t} cross as {@code long}: this class requires a 64-bit platform
 * (LP64 on Linux and macOS, LLP64 on Windows, where {@code size_t} is 64 bits too).
 *
 * <p>On Linux and macOS, over-aligned blocks come from {@code posix_memalign} and go back to
 * {@code free}. Windows has no {@code posix_memalign}: there they come from the C runtime's
 * {@code _aligned_malloc} and must go back to {@code _aligned_free}, which sized deallocation makes
 * possible (the layout says which function allocated a block). The Windows path is not tested here.
 */
final class LibC {
    /**
     * The alignment every {@code malloc}, {@code calloc} and {@code realloc} result has on the 64-bit
     * platforms supported: 16 bytes (glibc's {@code MALLOC_ALIGNMENT}, macOS, the Windows CRT).
     */
    static final long MALLOC_ALIGNMENT = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfLong POINTER = ValueLayout.JAVA_LONG;

    // SAFETY: critical(false) skips the thread-state transition. Sound for these functions: they never
    // call back into Java, and they return after bounded work (a lock, at worst an mmap/munmap), during
    // which a GC safepoint waits. No heap memory is passed to them.
    private static final MethodHandle MALLOC = downcall("malloc", FunctionDescriptor.of(POINTER, SIZE_T), false);
    private static final MethodHandle CALLOC = downcall("calloc", FunctionDescriptor.of(POINTER, SIZE_T, SIZE_T), false);
    private static final MethodHandle REALLOC = downcall("realloc", FunctionDescriptor.of(POINTER, POINTER, SIZE_T), false);
    private static final MethodHandle FREE = downcall("free", FunctionDescriptor.ofVoid(POINTER), false);

    // SAFETY: critical(true) additionally lets the out-parameter be a heap long[1], which the JVM pins
    // for the call; posix_memalign writes 8 bytes to it and keeps no reference to it.
    private static final MethodHandle POSIX_MEMALIGN = optionalDowncall("posix_memalign",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, SIZE_T, SIZE_T), true).orElse(null);
    private static final MethodHandle ALIGNED_MALLOC = POSIX_MEMALIGN != null ? null : optionalDowncall(
            "_aligned_malloc", FunctionDescriptor.of(POINTER, SIZE_T, SIZE_T), false).orElse(null);
    private static final MethodHandle ALIGNED_FREE = POSIX_MEMALIGN != null ? null : optionalDowncall(
            "_aligned_free", FunctionDescriptor.ofVoid(POINTER), false).orElse(null);

    static {
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
            throw new UnsupportedOperationException("the system allocator needs a 64-bit platform; "
                    + "ADDRESS.byteSize()=" + ValueLayout.ADDRESS.byteSize());
        }
    }

    private LibC() {
    }

    /** {@return {@code malloc(size)}: an address, 0 on failure} */
    static long malloc(long size) {
        try {
            return (long) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@return {@code calloc(1, size)}: an address of zeroed memory, 0 on failure} */
    static long calloc(long size) {
        try {
            return (long) CALLOC.invokeExact(1L, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@return {@code realloc(address, size)}: the new address, 0 on failure (then address is still live)} */
    static long realloc(long address, long size) {
        try {
            return (long) REALLOC.invokeExact(address, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Frees a block from {@link #malloc}, {@link #calloc} or {@link #realloc}. */
    static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@return an address aligned to {@code alignment}, 0 on failure}
     *
     * @param alignment a power of two greater than {@link #MALLOC_ALIGNMENT}
     */
    static long alignedAlloc(long size, long alignment) {
        try {
            if (POSIX_MEMALIGN != null) {
                long[] out = new long[1];
                int error = (int) POSIX_MEMALIGN.invokeExact(MemorySegment.ofArray(out), alignment, size);
                return error == 0 ? out[0] : 0L;
            }
            if (ALIGNED_MALLOC != null) {
                return (long) ALIGNED_MALLOC.invokeExact(size, alignment);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        throw new UnsupportedOperationException("neither posix_memalign nor _aligned_malloc was found in the C "
                + "library; cannot allocate alignment=" + alignment + " beyond malloc's " + MALLOC_ALIGNMENT);
    }

    /** Frees a block from {@link #alignedAlloc}. */
    static void alignedFree(long address) {
        if (ALIGNED_FREE == null) {
            free(address);
            return;
        }
        try {
            ALIGNED_FREE.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@return a segment of {@code size} bytes at {@code address}, with the global scope}
     *
     * @param address a block that this class's functions just returned for at least {@code size} bytes
     */
    @SuppressWarnings("restricted")
    static MemorySegment segment(long address, long size) {
        // SAFETY: the caller passes an address libc just returned for >= size bytes, so the whole range
        // is allocated. The global scope makes the segment's lifetime the caller's: per the GlobalAllocator
        // contract it is accessed only until it is passed to deallocate or reallocate.
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, boolean heapAccess) {
        return optionalDowncall(name, descriptor, heapAccess).orElseThrow(() -> new UnsupportedOperationException(
                "libc function '" + name + "' not found on os.name=" + System.getProperty("os.name")));
    }

    @SuppressWarnings("restricted")
    private static Optional<MethodHandle> optionalDowncall(String name, FunctionDescriptor descriptor,
                                                           boolean heapAccess) {
        // SAFETY: each descriptor matches the C prototype on 64-bit platforms (size_t and pointers as 64-bit
        // integers, int as JAVA_INT); see the field comments for why critical is sound for each function.
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor,
                Linker.Option.critical(heapAccess)));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a libc downcall", t);
    }
}
