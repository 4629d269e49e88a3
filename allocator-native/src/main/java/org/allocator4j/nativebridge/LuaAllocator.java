package org.allocator4j.nativebridge;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Lua states whose every allocation goes through a {@link NativeBridge}: {@code lua_newstate} with the
 * bridge's {@link CFunction#LUA_ALLOC} as the state's {@code lua_Alloc}.
 *
 * <pre>{@code
 * try (NativeBridge bridge = NativeBridge.open(tracking)) {
 *     MemorySegment L = LuaAllocator.newState(bridge);   // lua_State*
 *     // ... luaL_openlibs(L), luaL_loadstring + lua_pcall through your binding ...
 *     LuaAllocator.close(L);
 * }
 * }</pre>
 *
 * <p>When the allocator fails, Lua raises a memory error: inside {@code lua_pcall} it comes back as
 * {@code LUA_ERRMEM} and the state goes on working. A state made by {@code lua_newstate} has no panic
 * function, so an error outside a protected call ends the process, as it does in C: run Lua code through
 * {@code lua_pcall}. The bridge must stay open until the state is closed.
 *
 * @implNote Needs {@code liblua5.4.so.0} (Debian: {@code liblua5.4-0}); {@link #isAvailable()} says whether
 * it loads.
 */
public final class LuaAllocator {
    private LuaAllocator() {
    }

    /** {@return whether {@code liblua5.4.so.0} can be loaded} */
    public static boolean isAvailable() {
        return NativeLibrary.LUA.isAvailable();
    }

    /**
     * {@return a new {@code lua_State*} allocating through {@code bridge}}
     *
     * @param bridge the bridge the state allocates through, open until the state is closed
     * @throws UnsupportedOperationException if {@code liblua5.4.so.0} cannot be loaded
     * @throws IllegalStateException         if Lua returned NULL (the allocator failed)
     */
    public static MemorySegment newState(NativeBridge bridge) {
        Objects.requireNonNull(bridge, "bridge");
        MemorySegment state = Lua.newState(bridge.pointer(CFunction.LUA_ALLOC), MemorySegment.NULL);
        if (state.address() == 0) {
            throw bridge.returnedNull("lua_newstate");
        }
        return state;
    }

    /**
     * Closes a state ({@code lua_close}): Lua frees all its memory through the bridge.
     *
     * @param state a state from {@link #newState(NativeBridge)}
     */
    public static void close(MemorySegment state) {
        Lua.close(state);
    }
}
