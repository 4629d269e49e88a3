package org.allocator4j.nativebridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.tracking.BudgetExceededException;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * SQLite with its allocator installed over a bridge, against SQLite's default allocator: the same database
 * image after a table, its rows and two indexes are built in memory; and a tracking budget that makes
 * SQLite report {@code SQLITE_NOMEM} instead of growing.
 *
 * <p>SQLite's allocator is process-wide and can be set only while SQLite is not initialized, so every test
 * installs it, closes every connection, and closes the installation ({@code sqlite3_shutdown} and SQLite's
 * own allocator back) before the next; the default allocator's image is made first, then SQLite is shut
 * down. The tests of this class are the only ones in the module that touch SQLite.
 */
class SqliteAllocatorTest {
    private static final int ROWS = 10_000;
    private static final int DEEP_ROWS = 100_000;

    @BeforeAll
    static void libsqlite3() {
        Assumptions.assumeTrue(SqliteAllocator.isAvailable(), "skipped: " + NativeLibrary.SQLITE.soname
                + " cannot be loaded; on Debian: apt-get install " + NativeLibrary.SQLITE.debianPackage);
    }

    @AfterAll
    static void shutdown() {
        Sqlite.shutdown();
    }

    @ParameterizedTest
    @EnumSource(Behind.class)
    void buildDatabase_tenThousandRowsThroughTheBridge_givesTheImageOfTheDefaultAllocator(Behind behind) {
        buildThroughBridge(behind, ROWS);
    }

    @Tag("deep")
    @ParameterizedTest
    @EnumSource(Behind.class)
    void buildDatabase_hundredThousandRowsThroughTheBridge_givesTheImageOfTheDefaultAllocator(Behind behind) {
        buildThroughBridge(behind, DEEP_ROWS);
    }

    /** The README's example: SQLite's memory seen and capped by tracking. */
    @Test
    void exec_overTrackingBudget_reportsSqliteNomemAndKeepsWorking() {
        TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).budget(2 << 20).jmx(false).build();
        try (NativeBridge bridge = NativeBridge.open(tracking);
             SqliteAllocator installed = SqliteAllocator.install(bridge)) {
            assertEquals(bridge, installed.bridge());
            MemorySegment db = Sqlite.open(":memory:");
            try {
                assertEquals(Sqlite.memoryUsed(), tracking.snapshot().liveBytes(),
                        "SQLite's own count of its memory is what tracking sees");

                int rc = Sqlite.exec(db, schemaAndRows(DEEP_ROWS));

                assertEquals(Sqlite.SQLITE_NOMEM, rc, "sqlite3_exec rc; " + Sqlite.errmsg(db));
                assertEquals("out of memory", Sqlite.errmsg(db));
                assertTrue(bridge.failures() > 0);
                assertTrue(tracking.snapshot().failures() > 0);
                assertTrue(bridge.lastFailure().orElseThrow() instanceof BudgetExceededException,
                        String.valueOf(bridge.lastFailure()));
                assertTrue(tracking.snapshot().peakLiveBytes() <= 2 << 20, tracking.snapshot().toString());
                assertEquals(Sqlite.SQLITE_OK, Sqlite.exec(db, "DROP TABLE IF EXISTS t; CREATE TABLE u(x); "
                        + "INSERT INTO u VALUES (1), (2);"), "SQLite goes on working after SQLITE_NOMEM");
            } finally {
                assertEquals(Sqlite.SQLITE_OK, Sqlite.close(db));
            }
        }
        assertEquals(0L, tracking.snapshot().liveBytes(), "SQLite freed everything by sqlite3_shutdown");
        tracking.close();
    }

    @Test
    void install_whileSqliteIsInitialized_throwsAndLeavesTheDefaultAllocator() {
        assertEquals(Sqlite.SQLITE_OK, Sqlite.initialize());
        try (NativeBridge bridge = NativeBridge.open(GlobalAllocator.system())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteAllocator.install(bridge));

            assertTrue(e.getMessage().contains("already initialized"), e.getMessage());
            assertEquals(0L, bridge.liveBlocks());
        } finally {
            assertEquals(Sqlite.SQLITE_OK, Sqlite.shutdown());
        }
        try (NativeBridge bridge = NativeBridge.open(GlobalAllocator.system());
             SqliteAllocator installed = SqliteAllocator.install(bridge)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SqliteAllocator.install(bridge),
                    "one installation at a time");
            assertTrue(e.getMessage().contains("already installed") && installed.toString().contains("system"),
                    e.getMessage());
        }
    }

    private static void buildThroughBridge(Behind behind, int rows) {
        byte[] expected = buildDatabase(rows, () -> { }); // sqlite3_open initializes with the default allocator
        assertEquals(Sqlite.SQLITE_OK, Sqlite.shutdown());
        try (Behind.Opened opened = behind.open()) {
            byte[] digest;
            try (NativeBridge bridge = NativeBridge.open(opened.allocator());
                 SqliteAllocator installed = SqliteAllocator.install(bridge)) {
                assertEquals(bridge, installed.bridge());
                digest = buildDatabase(rows, () -> assertTrue(bridge.liveBytes() > rows * 16L,
                        "the open database's pages live in the bridge: " + bridge));
                assertEquals(0L, bridge.failures(), bridge.toString());
                assertEquals(0L, bridge.unknownPointers(), bridge.toString());
                assertEquals(0L, bridge.liveBlocks(), "SQLite freed everything when the connection closed");
            }
            assertArrayEquals(expected, digest, "database image differs from the default allocator's");
        }
    }

    /** {@return the SHA-256 of the image of a fresh in-memory database with {@code rows} rows and two indexes}
     * {@code whileOpen} runs once they are built. */
    private static byte[] buildDatabase(int rows, Runnable whileOpen) {
        MemorySegment db = Sqlite.open(":memory:");
        try {
            int rc = Sqlite.exec(db, schemaAndRows(rows) + "CREATE INDEX t_name ON t(name); CREATE INDEX t_n ON t(n);");
            assertEquals(Sqlite.SQLITE_OK, rc, "sqlite3_exec: " + Sqlite.errmsg(db));
            whileOpen.run();
            byte[] image = Sqlite.serialize(db);
            assertTrue(image.length > rows * 16L, "image of " + image.length + " bytes");
            return MessageDigest.getInstance("SHA-256").digest(image);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        } finally {
            assertEquals(Sqlite.SQLITE_OK, Sqlite.close(db));
        }
    }

    private static String schemaAndRows(int rows) {
        return "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);"
                + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + rows + ") "
                + "INSERT INTO t SELECT x, printf('row-%08x-%d', (x * 2654435761) % 4294967296, x % 97), "
                + "(x * 7919) % 100003 FROM c;";
    }
}
