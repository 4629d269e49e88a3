package org.allocator4j.bench.compare;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * glibc's {@code mallinfo2()} and {@code getpagesize()} through FFM downcalls: the footprint of the
 * {@code system} allocator, and of strategies whose memory comes from {@code malloc}. One of the two files
 * of {@code compare} that make restricted FFM calls (the other is {@link NativeAllocator}).
 *
 * <p>{@code mallinfo2} sums over every arena of the process, so the JVM's own {@code malloc} calls (JIT,
 * GC, class loading) show up too: a few hundred KB of noise, small beside most traces.
 */
final class GlibcMalloc {
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
    private static final MethodHandle GETPAGESIZE = find("getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT)).orElse(null);

    private GlibcMalloc() {
    }

    /** {@return whether {@code mallinfo2} exists (glibc 2.33 or later)} */
    static boolean available() {
        return MALLINFO2_HANDLE != null;
    }

    /**
     * {@return a probe of the bytes glibc's malloc holds from the OS: {@code arena + hblkhd}}, the footprint
     * of the {@code system} allocator (free chunks it keeps included). The replay reports its growth from
     * the start: free chunks the JVM left in glibc's heap before the replay are not counted, so a small
     * trace that fits in them shows less footprint than it would in a fresh process.
     */
    static FootprintProbe heldFromOs() {
        return probe("mallinfo2 arena+hblkhd growth", true);
    }

    /**
     * {@return a probe of the bytes in allocated malloc chunks: {@code uordblks + hblkhd}}, the footprint of
     * a strategy that takes its memory from malloc (directly, through {@code system}, or through a JDK
     * {@code Arena}): what it holds from its parent
     */
    static FootprintProbe inUse() {
        return probe("malloc in use (mallinfo2)", false);
    }

    /** {@return the page size, 4096 if it cannot be asked} */
    static long pageSize() {
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
        return new FootprintProbe() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public long bytes() {
                return read(held);
            }

            private long read(boolean heldBytes) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment info = (MemorySegment) MALLINFO2_HANDLE.invokeExact((java.lang.foreign.SegmentAllocator) arena);
                    long mapped = info.get(ValueLayout.JAVA_LONG, HBLKHD);
                    return mapped + info.get(ValueLayout.JAVA_LONG, heldBytes ? ARENA : UORDBLKS);
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
        // SAFETY: both descriptors match glibc's prototypes on 64-bit Linux: struct mallinfo2 is ten size_t
        // (returned by value, into memory the handle's SegmentAllocator provides), getpagesize returns int.
        // Neither function takes pointers from us or calls back into Java.
        return linker.defaultLookup().find(name).map(symbol -> linker.downcallHandle(symbol, descriptor));
    }
}
