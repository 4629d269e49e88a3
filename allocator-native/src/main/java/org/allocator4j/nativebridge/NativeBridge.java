package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.allocator4j.api.GlobalAllocator;

/**
 * A {@link GlobalAllocator} as C function pointers, for the allocation hooks of native libraries:
 * zstd's {@code ZSTD_customMem}, SQLite's {@code sqlite3_mem_methods}, Lua's {@code lua_Alloc}, and any
 * hook of the {@link CFunction} shapes.
 *
 * <pre>{@code
 * TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).budget(8 << 20).build();
 * try (NativeBridge bridge = NativeBridge.open(tracking)) {
 *     MemorySegment malloc = bridge.pointer(CFunction.MALLOC);   // void* (*)(size_t)
 *     MemorySegment free = bridge.pointer(CFunction.FREE);       // void (*)(void*)
 *     // ... hand them to the library, use it, release what it holds ...
 * }
 * }</pre>
 *
 * <p>C frees without a size; the allocator needs one. The bridge records the layout of every pointer it
 * hands out in a striped table and looks it up on {@code free} and {@code realloc}: the allocator sees
 * exactly the sizes C asked for (no header), and a pointer the bridge does not know (a double free, a
 * foreign block) is {@linkplain #unknownPointers() counted} and never reaches the allocator.
 *
 * <p>Nothing is thrown into C: a request the allocator cannot meet returns NULL, as C expects, and is
 * {@linkplain #failures() counted} with the exception kept as the {@linkplain #lastFailure() last failure};
 * the allocator itself has reported it (a tracking allocator to its listeners and JFR).
 *
 * @implNote Thread-safe: any thread may call the function pointers, including native threads the JVM did
 * not start (the JVM attaches them for the call). Upcall stubs are made on first use of each
 * {@link CFunction} and live in an {@link Arena} the bridge owns.
 */
public final class NativeBridge implements AutoCloseable {
    private final CAllocator heap;
    private final Arena arena = Arena.ofShared();
    private final MethodHandle failures;
    private final Map<CFunction, MemorySegment> pointers = new EnumMap<>(CFunction.class);
    private final Map<String, MemorySegment> adapterStubs = new HashMap<>();
    private boolean closed;

    private NativeBridge(GlobalAllocator allocator) {
        this.heap = new CAllocator(allocator);
        try {
            this.failures = MethodHandles.lookup()
                    .findVirtual(CAllocator.class, "fail", MethodType.methodType(long.class, Throwable.class))
                    .bindTo(heap);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("CAllocator.fail not found", e);
        }
    }

    /**
     * {@return a new bridge to {@code allocator}, with no stub made yet}
     *
     * @param allocator the allocator every function pointer of the bridge allocates from
     * @throws NullPointerException if {@code allocator} is null
     */
    public static NativeBridge open(GlobalAllocator allocator) {
        return new NativeBridge(Objects.requireNonNull(allocator, "allocator"));
    }

    /** {@return the allocator behind this bridge} */
    public GlobalAllocator allocator() {
        return heap.allocator();
    }

    /**
     * {@return the C function pointer of {@code function}, made on first use; valid until {@link #close()}}
     *
     * @param function the shape wanted
     * @throws IllegalStateException if the bridge is closed
     */
    public synchronized MemorySegment pointer(CFunction function) {
        checkOpen();
        return pointers.computeIfAbsent(function, f -> {
            MethodHandle target = target(f.method, f.descriptor().toMethodType().dropParameterTypes(0,
                    f.withContext ? 1 : 0));
            if (f.withContext) {
                target = MethodHandles.dropArguments(target, 0, long.class);
            }
            return UpcallStubs.stub(target, f.descriptor(), failures, arena);
        });
    }

    /**
     * {@return the size of a block this bridge handed out and that is still live, or -1 if {@code pointer}
     * is not one} SQLite's {@code xSize}.
     *
     * @param pointer a pointer returned by one of this bridge's functions
     */
    public long sizeOf(MemorySegment pointer) {
        return heap.sizeOf(pointer.address());
    }

    /** {@return how many blocks handed to C are live} Exact while no thread allocates or frees. */
    public long liveBlocks() {
        return heap.liveBlocks();
    }

    /** {@return the bytes of the blocks handed to C that are live} Exact while no thread allocates or frees. */
    public long liveBytes() {
        return heap.liveBytes();
    }

    /** {@return how many requests returned NULL (or kept a block a shrink could not move) because they failed} */
    public long failures() {
        return heap.failures();
    }

    /** {@return how many non-NULL pointers freed or reallocated were not live blocks of this bridge} */
    public long unknownPointers() {
        return heap.unknownPointers();
    }

    /** {@return the exception of the last failed request, if one failed} */
    public Optional<Throwable> lastFailure() {
        return Optional.ofNullable(heap.lastFailure());
    }

    /** {@return whether {@link #close()} has not been called} */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * Frees every stub: the bridge's function pointers become invalid. Blocks still live stay allocated
     * (see {@link #liveBlocks()}); the allocator's leak report, if it has one, shows them.
     *
     * @apiNote Call it only once no native code can call the bridge's pointers any more (the library's
     * contexts are freed, its global hooks uninstalled): a call through a freed stub crashes the process.
     * Closing twice does nothing.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "NativeBridge[" + heap.allocator().name() + ", live=" + liveBlocks() + " blocks, failures="
                + failures() + ", unknownPointers=" + unknownPointers() + (isOpen() ? "" : ", closed") + "]";
    }

    /**
     * {@return a stub for an adapter's own shape (SQLite's {@code xSize}, say), made once per key}
     *
     * @param key        names the stub, unique per shape and target
     * @param target     a handle of {@code descriptor.toMethodType()}
     * @param descriptor the C shape
     */
    synchronized MemorySegment adapterStub(String key, MethodHandle target, FunctionDescriptor descriptor) {
        checkOpen();
        return adapterStubs.computeIfAbsent(key, k -> UpcallStubs.stub(target, descriptor, failures, arena));
    }

    /**
     * {@return the exception for a library constructor that returned NULL through this bridge: it names the
     * function, the allocator and the last failure}
     */
    IllegalStateException returnedNull(String function) {
        return new IllegalStateException(function + " returned NULL over allocator '" + heap.allocator().name()
                + "': " + lastFailure().map(Throwable::getMessage).orElse("no allocation failed"));
    }

    /** {@return a zeroed segment of {@code layout} that lives as long as this bridge's stubs} */
    synchronized MemorySegment allocateInArena(MemoryLayout layout) {
        checkOpen();
        return arena.allocate(layout);
    }

    /** {@return the method handle of {@code name} on this bridge's allocator, for adapters} */
    MethodHandle target(String name, MethodType type) {
        try {
            return MethodHandles.lookup().findVirtual(CAllocator.class, name, type).bindTo(heap);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("CAllocator." + name + type + " not found", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the bridge over '" + heap.allocator().name() + "' is closed");
        }
    }
}
