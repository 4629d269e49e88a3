package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;

/**
 * The testkit's restricted FFM calls on segments, each under a {@code SAFETY} comment: overrun detection
 * (the allocator promised red zones), module-layer providers (native access for the allocators they
 * create, as {@code --enable-native-access} gives the class path), and segments re-derived from the
 * address of a live block (only the address is what {@code deallocate} and {@code reallocate} rely on,
 * and the address is where the bytes must be). The glibc statistics are in {@link MallocStatistics}.
 */
final class NativeAccess {
    private NativeAccess() {
    }

    /**
     * {@return {@code block} widened by {@code extra} bytes past its end}
     *
     * @param block a live block of an allocator that declares it detects
     *              {@link org.allocator4j.api.AllocatorMisuseException.Kind#OVERRUN}
     */
    @SuppressWarnings("restricted")
    static MemorySegment widen(MemorySegment block, long extra) {
        // SAFETY: only called for allocators that declare OVERRUN detection, which keep a red zone after
        // every block; writing its first bytes is the misuse they promise to report, inside memory they own.
        return block.reinterpret(block.byteSize() + extra);
    }

    /**
     * {@return a new global-scope segment of {@code size} bytes at {@code address}: the block as a caller
     * that kept only its address re-derives it}
     *
     * @param address the address of a live native block of at least {@code size} bytes, just returned by
     *                the allocator under test and checked to be native and exactly that size
     */
    @SuppressWarnings("restricted")
    static MemorySegment at(long address, long size) {
        // SAFETY: callers pass the address and byte size of a live block that the allocator returned as a
        // native segment of exactly that size (LiveBlocks checked both first); the view covers those bytes only.
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /** Enables native access for every module of a layer the testkit defined for a provider check. */
    @SuppressWarnings("restricted")
    static void enable(ModuleLayer.Controller controller) {
        for (Module module : controller.layer().modules()) {
            // SAFETY: the layer holds only the allocator API and the provider under test, the code the
            // class path runs with --enable-native-access=ALL-UNNAMED; the module path needs the same.
            controller.enableNativeAccess(module);
        }
    }
}
