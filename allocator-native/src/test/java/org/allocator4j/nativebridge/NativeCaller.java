package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A native caller of a bridge's function pointers, for tests: a downcall into the stub, so the call goes
 * Java to C to the stub, as from a library. The test code's only restricted FFM calls, each under a
 * {@code SAFETY} comment.
 */
final class NativeCaller {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Map<CFunction, MethodHandle> CALLS = new EnumMap<>(CFunction.class);

    static {
        for (CFunction function : CFunction.values()) {
            CALLS.put(function, handle(function.descriptor()));
        }
    }

    private NativeCaller() {
    }

    /** {@return a downcall handle taking the function pointer first, then the arguments of {@code descriptor}} */
    @SuppressWarnings("restricted")
    static MethodHandle handle(FunctionDescriptor descriptor) {
        // SAFETY: every pointer called through it is a bridge stub (or libc's malloc/free) of exactly this
        // descriptor. Not critical: the stub calls back into Java.
        return LINKER.downcallHandle(descriptor);
    }

    /** {@return what the C function returns (0 for void), called through its pointer from C} */
    static long call(NativeBridge bridge, CFunction function, long... arguments) {
        Object[] all = new Object[arguments.length + 1];
        all[0] = bridge.pointer(function);
        for (int i = 0; i < arguments.length; i++) {
            all[i + 1] = arguments[i];
        }
        try {
            Object result = CALLS.get(function).invokeWithArguments(all);
            return result == null ? 0 : (long) result;
        } catch (Throwable t) {
            throw new AssertionError(function + " threw through the downcall", t);
        }
    }

    /**
     * {@return the {@code size} bytes at {@code address}}
     *
     * @param address a live block of at least {@code size} bytes the bridge just returned
     */
    @SuppressWarnings("restricted")
    static MemorySegment block(long address, long size) {
        // SAFETY: the bridge returned address for a request of at least size bytes and it is not freed yet.
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** Fills {@code size} bytes at {@code address} with a pattern of {@code seed}. */
    static void fill(long address, long size, int seed) {
        MemorySegment block = block(address, size);
        for (long i = 0; i < size; i++) {
            block.set(ValueLayout.JAVA_BYTE, i, pattern(seed, i));
        }
    }

    /** {@return the first offset below {@code size} that does not hold the pattern of {@code seed}, or -1} */
    static long firstMismatch(long address, long size, int seed) {
        MemorySegment block = block(address, size);
        for (long i = 0; i < size; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != pattern(seed, i)) {
                return i;
            }
        }
        return -1;
    }

    private static byte pattern(int seed, long i) {
        return (byte) (seed * 31 + i * 7 + (i >>> 8));
    }

    /**
     * {@return the symbols of a shared library the test just compiled, loaded for the life of the JVM}
     *
     * @param library a library built by the test from this module's {@code src/test/c}
     */
    @SuppressWarnings("restricted")
    static SymbolLookup load(Path library) {
        // SAFETY: the library is the test's own C file, compiled just now; it has no initialisers and its
        // functions are called only through descriptors matching their prototypes.
        return SymbolLookup.libraryLookup(library, Arena.global());
    }
}
