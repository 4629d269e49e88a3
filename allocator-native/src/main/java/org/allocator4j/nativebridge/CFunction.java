package org.allocator4j.nativebridge;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.Collections;

/**
 * The C function shapes a {@link NativeBridge} exposes, with their C semantics. Pointers and
 * {@code size_t} are 64-bit; every allocating function returns NULL on failure and blocks aligned to
 * {@code alignof(max_align_t)} (16) unless it takes an alignment; every block it returns may be freed,
 * reallocated or sized by any other function of the same bridge.
 *
 * <p>The {@code _WITH_CONTEXT} shapes take an opaque {@code void* ud} first, as zstd's
 * {@code ZSTD_customMem} and many other hooks do; the bridge ignores it (each bridge has its own stubs).
 */
public enum CFunction {
    /** {@code void* malloc(size_t size)}; {@code malloc(0)} returns a unique, freeable pointer. */
    MALLOC("void* malloc(size_t size)", "malloc", false, 1),
    /** {@code void free(void* ptr)}; {@code free(NULL)} does nothing. */
    FREE("void free(void* ptr)", "free", false, 1),
    /**
     * {@code void* realloc(void* ptr, size_t size)} as glibc's: {@code realloc(NULL, n)} is {@code malloc(n)},
     * {@code realloc(p, 0)} frees {@code p} and returns NULL; on failure NULL with {@code p} unchanged.
     */
    REALLOC("void* realloc(void* ptr, size_t size)", "realloc", false, 2),
    /** {@code void* calloc(size_t count, size_t size)}: zeroed; NULL if the product overflows. */
    CALLOC("void* calloc(size_t count, size_t size)", "calloc", false, 2),
    /**
     * {@code void* aligned_alloc(size_t alignment, size_t size)}: NULL unless {@code alignment} is a power
     * of two (alignments below 16 get 16).
     */
    ALIGNED_ALLOC("void* aligned_alloc(size_t alignment, size_t size)", "alignedAlloc", false, 2),
    /** {@code void* (*)(void* ud, size_t size)}: {@link #MALLOC} with a context (zstd's {@code customAlloc}). */
    MALLOC_WITH_CONTEXT("void* alloc(void* ud, size_t size)", "malloc", true, 1),
    /** {@code void (*)(void* ud, void* ptr)}: {@link #FREE} with a context (zstd's {@code customFree}). */
    FREE_WITH_CONTEXT("void free(void* ud, void* ptr)", "free", true, 1),
    /** {@code void* (*)(void* ud, void* ptr, size_t size)}: {@link #REALLOC} with a context. */
    REALLOC_WITH_CONTEXT("void* realloc(void* ud, void* ptr, size_t size)", "realloc", true, 2),
    /** {@code void* (*)(void* ud, size_t count, size_t size)}: {@link #CALLOC} with a context. */
    CALLOC_WITH_CONTEXT("void* calloc(void* ud, size_t count, size_t size)", "calloc", true, 2),
    /**
     * Lua's {@code void* lua_Alloc(void* ud, void* ptr, size_t osize, size_t nsize)}: {@code nsize == 0}
     * frees and returns NULL; {@code ptr == NULL} allocates (then {@code osize} codes a type and is
     * ignored); otherwise reallocates; NULL if and only if the request cannot be met.
     */
    LUA_ALLOC("void* lua_Alloc(void* ud, void* ptr, size_t osize, size_t nsize)", "luaAlloc", false, 4);

    private final String prototype;
    final String method;
    final boolean withContext;
    private final int arity;

    CFunction(String prototype, String method, boolean withContext, int arity) {
        this.prototype = prototype;
        this.method = method;
        this.withContext = withContext;
        this.arity = arity;
    }

    /** {@return the C prototype, e.g. {@code "void* malloc(size_t size)"}} */
    public String prototype() {
        return prototype;
    }

    /** {@return the shape as an FFM descriptor: pointers and {@code size_t} as {@code JAVA_LONG}} */
    public FunctionDescriptor descriptor() {
        MemoryLayout[] arguments = Collections.nCopies(arity + (withContext ? 1 : 0), ValueLayout.JAVA_LONG)
                .toArray(MemoryLayout[]::new);
        return returnsVoid() ? FunctionDescriptor.ofVoid(arguments) : FunctionDescriptor.of(ValueLayout.JAVA_LONG, arguments);
    }

    private boolean returnsVoid() {
        return method.equals("free");
    }

    @Override
    public String toString() {
        return prototype;
    }
}
