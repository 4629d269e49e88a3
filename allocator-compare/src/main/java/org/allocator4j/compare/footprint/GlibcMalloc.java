package org.allocator4j.compare.footprint;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * glibc's {@code mallinfo2()}, {@code gnu_get_libc_version()} and {@code getpagesize()} through FFM
 * downcalls: glibc's own figure of what {@code malloc} holds (the second column of {@code system} and of the
 * strategies over it) and its version for the reports. (The api's libc binding covers the allocation
 * functions only and is internal to that module; these are diagnostics, which the api does not carry.)
 * The one file of compare's footprint that makes restricted FFM calls, each under a {@code // SAFETY:}
 * comment.
 *
 * <p>{@code mallinfo2} sums over every arena of the process, so the JVM's own {@code malloc} calls (JIT, GC,
 * class loading) count too. It allocates nothing: its struct is returned into a buffer made once.
 */
public final class GlibcMalloc {
    /** {@code struct mallinfo2}: ten {@code size_t} fields. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"),      // non-mmapped space held from the OS
            ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"),
            ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"),     // space in mmapped regions
            ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"),
            ValueLayout.JAVA_LONG.withName("uordblks"),   // space in allocated chunks
            ValueLayout.JAVA_LONG.withName("fordblks"),
            ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long ARENA = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("arena"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));

    private static final MethodHandle MALLINFO2_HANDLE = find("mallinfo2", FunctionDescriptor.of(MALLINFO2)).orElse(null);
    private static final MethodHandle VERSION = find("gnu_get_libc_version",
            FunctionDescriptor.of(ValueLayout.ADDRESS)).orElse(null);
    private static final MethodHandle GETPAGESIZE = find("getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT)).orElse(null);
    /** The longest version string read. */
    private static final int VERSION_LIMIT = 64;

    private GlibcMalloc() {
    }

    /** {@return whether {@code mallinfo2} exists (glibc 2.33 or later)} */
    public static boolean available() {
        return MALLINFO2_HANDLE != null;
    }

    /**
     * {@return glibc's figure of the bytes malloc holds from the OS ({@code mallinfo2} {@code arena + hblkhd},
     * every arena of the process)}, free chunks included: the own figure of {@code system}; or
     * {@link FootprintProbe#NONE} before glibc 2.33
     */
    public static FootprintProbe heldFromOs() {
        return probe("glibc mallinfo2 arena+hblkhd (held from the OS, whole process)", true);
    }

    /**
     * {@return glibc's figure of the bytes in allocated malloc chunks ({@code mallinfo2}
     * {@code uordblks + hblkhd}, whole process)}: what a strategy over malloc holds from its parent; or
     * {@link FootprintProbe#NONE} before glibc 2.33
     */
    public static FootprintProbe inUse() {
        return probe("glibc mallinfo2 uordblks+hblkhd (in use, whole process)", false);
    }

    /** {@return glibc's version ({@code gnu_get_libc_version()}), or "n/a" where it is not glibc} */
    @SuppressWarnings("restricted")
    public static String version() {
        if (VERSION == null) {
            return "n/a";
        }
        try {
            MemorySegment text = (MemorySegment) VERSION.invokeExact();
            if (text.equals(MemorySegment.NULL)) {
                return "n/a";
            }
            // SAFETY: gnu_get_libc_version returns a pointer to a static NUL-terminated string, valid for the
            // life of the process; getString reads up to its NUL, and the version is far shorter than the limit.
            return text.reinterpret(VERSION_LIMIT).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("gnu_get_libc_version() failed", t);
        }
    }

    /** {@return the page size, 4096 if it cannot be asked} */
    public static long pageSize() {
        if (GETPAGESIZE == null) {
            return 4096;
        }
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpagesize() failed", t);
        }
    }

    private static FootprintProbe probe(String source, boolean held) {
        if (MALLINFO2_HANDLE == null) {
            return FootprintProbe.NONE;
        }
        // mallinfo2 returns its struct by value, into memory the handle's allocator gives: always this one buffer.
        MemorySegment buffer = Arena.global().allocate(MALLINFO2);
        SegmentAllocator into = (size, alignment) -> buffer;
        return new FootprintProbe() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public long bytes() {
                try {
                    MemorySegment info = (MemorySegment) MALLINFO2_HANDLE.invokeExact(into);
                    return info.get(ValueLayout.JAVA_LONG, HBLKHD) + info.get(ValueLayout.JAVA_LONG, held ? ARENA : UORDBLKS);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException("mallinfo2() failed", t);
                }
            }
        };
    }

    @SuppressWarnings("restricted")
    private static Optional<MethodHandle> find(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        // SAFETY: each descriptor matches glibc's prototype on 64-bit Linux: struct mallinfo2 is ten size_t
        // (returned by value, into memory the handle's SegmentAllocator provides); getpagesize returns int;
        // gnu_get_libc_version returns const char *. None of them calls back into Java.
        return linker.defaultLookup().find(name).map(symbol -> linker.downcallHandle(symbol, descriptor));
    }
}
