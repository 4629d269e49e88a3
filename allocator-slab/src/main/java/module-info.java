/**
 * allocator4j's slab strategy: a size-class slab allocator with per-thread caches and lock-free
 * cross-thread frees, registered as the provider {@code slab}.
 *
 * <p>Needs native access for its one restricted call ({@code NativeMemory}):
 * {@code --enable-native-access=org.allocator4j.slab} on the module path.
 */
module org.allocator4j.slab {
    requires transitive org.allocator4j.api;

    exports org.allocator4j.slab;

    provides org.allocator4j.spi.GlobalAllocatorProvider with org.allocator4j.slab.SlabProvider;
}
