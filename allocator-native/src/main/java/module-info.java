/**
 * allocator4j's native bridge: any {@link org.allocator4j.api.GlobalAllocator} as C function pointers
 * (FFM upcall stubs) for the allocation hooks of native libraries, with ready adapters for zstd, SQLite
 * and Lua. See {@link org.allocator4j.nativebridge.NativeBridge}.
 *
 * <p>Needs native access for its upcall stubs and library bindings:
 * {@code --enable-native-access=org.allocator4j.nativebridge} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
module org.allocator4j.nativebridge {
    requires transitive org.allocator4j.api;

    exports org.allocator4j.nativebridge;
}
