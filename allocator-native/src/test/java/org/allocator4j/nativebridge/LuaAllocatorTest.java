package org.allocator4j.nativebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * Lua states allocating through a bridge, against Lua's default allocator: the same result of a script that
 * builds, sorts and hashes a table of strings; and a budget that Lua meets with a memory error.
 */
class LuaAllocatorTest {
    private static final String SCRIPT = """
            local n = 50000
            local t = {}
            for i = 1, n do t[i] = string.format("k%07d", (i * 7919) % n) end
            table.sort(t)
            local h = 0
            for i = 1, #t do h = (h * 31 + #t[i] + string.byte(t[i], -1)) % 2147483647 end
            local s = table.concat(t, ",", 1, 1000)
            return h * 10000 + #s
            """;

    @BeforeAll
    static void liblua() {
        Assumptions.assumeTrue(LuaAllocator.isAvailable(), "skipped: " + NativeLibrary.LUA.soname
                + " cannot be loaded; on Debian: apt-get install " + NativeLibrary.LUA.debianPackage);
    }

    @ParameterizedTest
    @EnumSource(Behind.class)
    void run_scriptThroughTheBridge_givesTheResultOfTheDefaultAllocator(Behind behind) {
        MemorySegment plain = Lua.newDefaultState();
        Lua.openLibs(plain);
        long expected = Lua.run(plain, SCRIPT);
        Lua.close(plain);

        try (Behind.Opened opened = behind.open(); NativeBridge bridge = NativeBridge.open(opened.allocator())) {
            MemorySegment state = LuaAllocator.newState(bridge);
            Lua.openLibs(state);
            long result = Lua.run(state, SCRIPT);
            assertTrue(bridge.liveBytes() > 0, "the state's memory lives in the bridge: " + bridge);
            LuaAllocator.close(state);

            assertEquals(expected, result);
            assertEquals(0L, bridge.liveBlocks(), "lua_close freed everything: " + bridge);
            assertEquals(0L, bridge.unknownPointers(), bridge.toString());
            assertEquals(0L, bridge.failures(), bridge.toString());
        }
    }

    @Test
    void run_overTrackingBudget_failsWithLuaMemoryErrorAndTheStateGoesOn() {
        TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).budget(1 << 20).jmx(false).build();
        try (NativeBridge bridge = NativeBridge.open(tracking)) {
            MemorySegment state = LuaAllocator.newState(bridge);
            Lua.openLibs(state); // outside a protected call: the budget leaves it room

            Lua.LuaError error = assertThrows(Lua.LuaError.class, () -> Lua.run(state, SCRIPT));

            assertEquals(Lua.LUA_ERRMEM, error.status, error.getMessage());
            assertTrue(error.getMessage().contains("not enough memory"), error.getMessage());
            assertTrue(bridge.failures() > 0);
            assertTrue(tracking.snapshot().peakLiveBytes() <= 1 << 20, tracking.snapshot().toString());
            assertEquals(42L, Lua.run(state, "collectgarbage() return 40 + 2"), "the state goes on working");
            LuaAllocator.close(state);
            assertEquals(0L, bridge.liveBlocks());
            assertEquals(0L, tracking.snapshot().liveBytes());
        }
        tracking.close();
    }
}
