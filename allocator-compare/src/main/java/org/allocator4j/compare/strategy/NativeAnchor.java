package org.allocator4j.compare.strategy;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Native allocators as benchmark anchors, called through FFM downcalls: glibc's {@code malloc}/{@code free}
 * plain and with {@link Linker.Option#critical(boolean)}, jemalloc ({@code libjemalloc.so.2}, unprefixed
 * {@code malloc}/{@code free}) and mimalloc ({@code libmimalloc.so.2}, {@code mi_malloc}/{@code mi_free}),
 * both with {@code critical}. jemalloc's and mimalloc's handles are {@link NativeAllocator}'s, the one binding
 * of each library in the project (loaded by {@link NativeLibrary}); install them with
 * {@code allocator-compare/install-anchors.sh}. glibc's two are bound here: the API's own libc binding is
 * internal to {@code allocator-api}, and a benchmark needs the plain (non-critical) downcall beside it.
 *
 * <p>Each library's handles are {@code static final} in a holder class, so the JIT inlines the downcall
 * as it does for {@code LibC}; a holder initialises on first use and fails then with a clear message if
 * its library is missing. jemalloc needs {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384} in
 * the JVM's environment (the {@code exec@jmh} execution sets it).
 */
public final class NativeAnchor {
    public static final int GLIBC = 0;
    public static final int GLIBC_CRITICAL = 1;
    public static final int JEMALLOC = 2;
    public static final int MIMALLOC = 3;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor MALLOC = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor FREE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    private NativeAnchor() {
    }

    /** {@return the anchor of a benchmark parameter: glibc, glibcCritical, jemalloc, mimalloc; -1 for others} */
    public static int of(String name) {
        return switch (name) {
            case "glibc" -> GLIBC;
            case "glibcCritical" -> GLIBC_CRITICAL;
            case "jemalloc" -> JEMALLOC;
            case "mimalloc" -> MIMALLOC;
            default -> -1;
        };
    }

    /** Loads the anchor's library now; fails with a message naming the library if it is missing. */
    public static void load(int anchor) {
        free(anchor, malloc(anchor, 16));
    }

    public static long malloc(int anchor, long size) {
        try {
            return switch (anchor) {
                case GLIBC -> (long) Glibc.MALLOC.invokeExact(size);
                case GLIBC_CRITICAL -> (long) GlibcCritical.MALLOC.invokeExact(size);
                case JEMALLOC -> (long) Jemalloc.MALLOC.invokeExact(size);
                case MIMALLOC -> (long) Mimalloc.MALLOC.invokeExact(size);
                default -> throw new IllegalArgumentException("anchor=" + anchor);
            };
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void free(int anchor, long address) {
        try {
            switch (anchor) {
                case GLIBC -> Glibc.FREE.invokeExact(address);
                case GLIBC_CRITICAL -> GlibcCritical.FREE.invokeExact(address);
                case JEMALLOC -> Jemalloc.FREE.invokeExact(address);
                case MIMALLOC -> Mimalloc.FREE.invokeExact(address);
                default -> throw new IllegalArgumentException("anchor=" + anchor);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(SymbolLookup lookup, String library, String name,
                                         FunctionDescriptor descriptor, boolean critical) {
        // SAFETY: malloc(size_t) -> void* and free(void*) on LP64, pointers and size_t as 64-bit longs.
        // critical(false) is sound: these functions never call back into Java, take no heap memory, and
        // return after bounded work.
        var symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException(
                "symbol '" + name + "' not found in " + library));
        return critical
                ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, descriptor);
    }

    private static final class Glibc {
        static final MethodHandle MALLOC = downcall(LINKER.defaultLookup(), "libc", "malloc", NativeAnchor.MALLOC, false);
        static final MethodHandle FREE = downcall(LINKER.defaultLookup(), "libc", "free", NativeAnchor.FREE, false);
    }

    private static final class GlibcCritical {
        static final MethodHandle MALLOC = downcall(LINKER.defaultLookup(), "libc", "malloc", NativeAnchor.MALLOC, true);
        static final MethodHandle FREE = downcall(LINKER.defaultLookup(), "libc", "free", NativeAnchor.FREE, true);
    }

    /** jemalloc's {@code malloc} and {@code free}, from {@link NativeAllocator}'s one binding of the library. */
    private static final class Jemalloc {
        static final NativeAllocator LIB = NativeAllocator.load(NativeLibrary.JEMALLOC);
        static final MethodHandle MALLOC = LIB.plainMalloc(); // static final: a constant the JIT inlines
        static final MethodHandle FREE = LIB.plainFree();
    }

    /** mimalloc's {@code mi_malloc} and {@code mi_free}, from {@link NativeAllocator}'s one binding of the library. */
    private static final class Mimalloc {
        static final NativeAllocator LIB = NativeAllocator.load(NativeLibrary.MIMALLOC);
        static final MethodHandle MALLOC = LIB.plainMalloc();
        static final MethodHandle FREE = LIB.plainFree();
    }
}
