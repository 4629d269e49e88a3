package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The binding of {@code liblua5.4.so.0} (Debian {@code liblua5.4-0}): the functions {@link LuaAllocator}
 * and its tests call, linked on first use. Prototypes from {@code lua.h} and {@code lauxlib.h} (5.4).
 */
final class Lua {
    static final int LUA_OK = 0;
    static final int LUA_ERRMEM = 4;

    private static final ValueLayout POINTER = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    // lua_State* lua_newstate(lua_Alloc f, void* ud);
    private static final MethodHandle NEWSTATE = NativeLibrary.LUA.downcall("lua_newstate",
            FunctionDescriptor.of(POINTER, POINTER, POINTER));
    // lua_State* luaL_newstate(void);
    private static final MethodHandle L_NEWSTATE = NativeLibrary.LUA.downcall("luaL_newstate",
            FunctionDescriptor.of(POINTER));
    // void luaL_openlibs(lua_State* L);
    private static final MethodHandle OPENLIBS = NativeLibrary.LUA.downcall("luaL_openlibs",
            FunctionDescriptor.ofVoid(POINTER));
    // int luaL_loadstring(lua_State* L, const char* s);
    private static final MethodHandle LOADSTRING = NativeLibrary.LUA.downcall("luaL_loadstring",
            FunctionDescriptor.of(INT, POINTER, POINTER));
    // int lua_pcallk(lua_State* L, int nargs, int nresults, int msgh, lua_KContext ctx, lua_KFunction k);
    private static final MethodHandle PCALLK = NativeLibrary.LUA.downcall("lua_pcallk",
            FunctionDescriptor.of(INT, POINTER, INT, INT, INT, ValueLayout.JAVA_LONG, POINTER));
    // lua_Integer lua_tointegerx(lua_State* L, int idx, int* isnum);
    private static final MethodHandle TOINTEGERX = NativeLibrary.LUA.downcall("lua_tointegerx",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, POINTER, INT, POINTER));
    // const char* lua_tolstring(lua_State* L, int idx, size_t* len);
    private static final MethodHandle TOLSTRING = NativeLibrary.LUA.downcall("lua_tolstring",
            FunctionDescriptor.of(POINTER, POINTER, INT, POINTER));
    // void lua_settop(lua_State* L, int idx);
    private static final MethodHandle SETTOP = NativeLibrary.LUA.downcall("lua_settop",
            FunctionDescriptor.ofVoid(POINTER, INT));
    // void lua_close(lua_State* L);
    private static final MethodHandle CLOSE = NativeLibrary.LUA.downcall("lua_close",
            FunctionDescriptor.ofVoid(POINTER));

    private Lua() {
    }

    static MemorySegment newState(MemorySegment alloc, MemorySegment ud) {
        try {
            return (MemorySegment) NEWSTATE.invokeExact(alloc, ud);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return a state with Lua's default allocator (realloc/free) and panic function} */
    static MemorySegment newDefaultState() {
        try {
            return (MemorySegment) L_NEWSTATE.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static void openLibs(MemorySegment state) {
        try {
            OPENLIBS.invokeExact(state);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /**
     * Runs {@code chunk} in protected mode and returns its one result as an integer.
     *
     * @return the result
     * @throws LuaError with Lua's status and message if loading or running fails
     */
    static long run(MemorySegment state, String chunk) {
        try (Arena arena = Arena.ofConfined()) {
            int status = (int) LOADSTRING.invokeExact(state, arena.allocateFrom(chunk));
            if (status == LUA_OK) {
                status = (int) PCALLK.invokeExact(state, 0, 1, 0, 0L, MemorySegment.NULL);
            }
            if (status != LUA_OK) {
                String message = NativeAddresses.cString((MemorySegment) TOLSTRING.invokeExact(state, -1,
                        MemorySegment.NULL));
                SETTOP.invokeExact(state, 0);
                throw new LuaError(status, message);
            }
            long result = (long) TOINTEGERX.invokeExact(state, -1, MemorySegment.NULL);
            SETTOP.invokeExact(state, 0);
            return result;
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static void close(MemorySegment state) {
        try {
            CLOSE.invokeExact(state);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** A Lua error: {@code status} is Lua's ({@link #LUA_ERRMEM} for memory), the message is Lua's. */
    static final class LuaError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @serial Lua's status code */
        final int status;

        LuaError(int status, String message) {
            super("Lua status=" + status + ": " + message);
            this.status = status;
        }
    }
}
