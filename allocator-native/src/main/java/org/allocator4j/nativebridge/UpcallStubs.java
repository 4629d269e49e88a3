package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The module's only {@link Linker#upcallStub upcall stubs}: Java methods as C function pointers.
 *
 * <p>An exception that escapes an upcall ends the JVM. So every target is wrapped here, once, in a handler
 * that catches any {@link Throwable}, records it as a failure of the bridge and returns zero (NULL for a
 * pointer, 0 for an int, nothing for void): C sees a failed call, never a crash.
 */
final class UpcallStubs {
    private static final Linker LINKER = Linker.nativeLinker();

    private UpcallStubs() {
    }

    /**
     * {@return a C function pointer that calls {@code target}, valid until {@code arena} is closed}
     *
     * @param target     a handle of the type {@code descriptor.toMethodType()}
     * @param descriptor the C function's shape
     * @param failures   where a throwable of the target goes: {@code (Throwable) long}, which never throws
     * @param arena      the bridge's arena, which owns the stub
     */
    @SuppressWarnings("restricted")
    static MemorySegment stub(MethodHandle target, FunctionDescriptor descriptor, MethodHandle failures, Arena arena) {
        MethodType type = descriptor.toMethodType();
        MethodHandle zeroOnFailure = MethodHandles.dropArguments(
                MethodHandles.explicitCastArguments(failures, MethodType.methodType(type.returnType(), Throwable.class)),
                1, type.parameterList());
        MethodHandle total = MethodHandles.catchException(target.asType(type), Throwable.class, zeroOnFailure);
        // SAFETY: total's type is descriptor.toMethodType() and it cannot throw (the handler above catches
        // everything and `failures` only counts), so no exception crosses into C. The descriptor matches
        // the C prototype the stub is given to (pointers and size_t as 64-bit longs, int as JAVA_INT). The
        // stub lives as long as `arena`; the bridge that owns the arena documents that C must stop calling
        // its pointers before it is closed.
        return LINKER.upcallStub(total, descriptor, arena);
    }
}
