/**
 * allocator4j's bump strategy: {@link org.allocator4j.bump.BumpArena} (chunked bump-down arena with
 * reset, frames, a per-thread scratch stack and a scoped {@link java.lang.foreign.Arena}), and the global
 * thread-safe variant registered as the provider {@code bump}.
 *
 * <p>Needs native access (it gives chunks the scope of a JDK arena):
 * {@code --enable-native-access=org.allocator4j.bump} on the module path.
 */
module org.allocator4j.bump {
    requires transitive org.allocator4j.api;

    exports org.allocator4j.bump;

    provides org.allocator4j.spi.GlobalAllocatorProvider with org.allocator4j.bump.BumpAllocatorProvider;
}
