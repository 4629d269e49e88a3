/**
 * Any {@link org.allocator4j.api.GlobalAllocator} as C function pointers: {@link
 * org.allocator4j.nativebridge.NativeBridge} and its {@link org.allocator4j.nativebridge.CFunction} shapes;
 * the adapters {@link org.allocator4j.nativebridge.ZstdAllocator}, {@link
 * org.allocator4j.nativebridge.SqliteAllocator} and {@link org.allocator4j.nativebridge.LuaAllocator}.
 *
 * <p>Inside: {@code CAllocator} (C's semantics over the allocator, never throwing), {@code PointerTable}
 * (the striped table of live pointers' layouts that makes unsized {@code free} possible), and the
 * bindings {@code Zstd}, {@code Sqlite}, {@code Lua}. The restricted FFM calls are in three classes, each
 * call under a {@code // SAFETY:} comment: {@code UpcallStubs} (upcall stubs), {@code NativeLibrary}
 * (library lookups and downcall handles) and {@code NativeAddresses} ({@code reinterpret}).
 */
package org.allocator4j.nativebridge;
