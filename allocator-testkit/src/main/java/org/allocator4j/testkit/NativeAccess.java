package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;

/**
 * The testkit's only restricted FFM calls, each under a {@code SAFETY} comment. Both serve checks that an
 * allocator opted into: overrun detection (it promised red zones) and module-layer providers (native
 * access for the allocators they create, as {@code --enable-native-access} gives the class path).
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
