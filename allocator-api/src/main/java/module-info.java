/**
 * allocator4j's API: {@link org.allocator4j.api.Layout}, {@link org.allocator4j.api.GlobalAllocator},
 * the provider SPI, global resolution and the built-in {@code system} allocator.
 *
 * <p>Requires only {@code java.base}. The {@code system} allocator calls libc through FFM downcalls, so
 * this module needs native access: {@code --enable-native-access=org.allocator4j.api} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
module org.allocator4j.api {
    exports org.allocator4j.api;
    exports org.allocator4j.spi;

    uses org.allocator4j.spi.GlobalAllocatorProvider;
}
