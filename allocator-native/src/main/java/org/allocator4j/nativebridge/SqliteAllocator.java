package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SQLite's allocator, installed process-wide over a {@link NativeBridge}:
 * {@code sqlite3_config(SQLITE_CONFIG_MALLOC, &methods)} then {@code sqlite3_initialize()}.
 *
 * <pre>{@code
 * TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).budget(4 << 20).build();
 * try (NativeBridge bridge = NativeBridge.open(tracking);
 *      SqliteAllocator sqlite = SqliteAllocator.install(bridge)) {
 *     // every connection opened now allocates from `tracking`; past 4 MiB SQLite reports SQLITE_NOMEM
 * }   // close: sqlite3_shutdown(), SQLite's own allocator back, then the bridge's stubs freed
 * }</pre>
 *
 * <p>SQLite's allocator is global to the process and can be set only while SQLite is not initialized:
 * before the first {@code sqlite3_initialize} (which {@code sqlite3_open} calls for you) or after
 * {@code sqlite3_shutdown}. So install it first thing, before any connection is opened, and keep it for
 * the life of the process; or, as the tests do, install, use and {@link #close()} it with every
 * connection closed in between. One installation at a time.
 *
 * <p>Every block SQLite allocates is 16-aligned (SQLite needs 8); {@code xSize} answers from the
 * bridge's table, {@code xRoundup} rounds to 8. When the allocator fails, SQLite gets NULL and reports
 * {@code SQLITE_NOMEM} ("out of memory") from the call that needed the memory, and goes on working.
 *
 * @implNote Needs {@code libsqlite3.so.0} (Debian: {@code libsqlite3-0}); {@link #isAvailable()} says
 * whether it loads.
 */
public final class SqliteAllocator implements AutoCloseable {
    private static final AtomicReference<SqliteAllocator> INSTALLED = new AtomicReference<>();
    private static final FunctionDescriptor X_MALLOC = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final FunctionDescriptor X_REALLOC = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT);
    private static final FunctionDescriptor X_SIZE = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor X_ROUNDUP = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final FunctionDescriptor X_INIT = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor X_SHUTDOWN = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    private final NativeBridge bridge;
    /** SQLite's allocator before ours, as SQLITE_CONFIG_GETMALLOC gave it: put back by close. */
    private final MemorySegment previous = Arena.ofAuto().allocate(Sqlite.MEM_METHODS);
    private boolean closed;

    private SqliteAllocator(NativeBridge bridge) {
        this.bridge = bridge;
    }

    /**
     * Installs {@code bridge} as SQLite's allocator and initializes SQLite.
     *
     * @param bridge the bridge SQLite allocates through; it must stay open until {@link #close()}
     * @return the installation, to close once every connection is closed
     * @throws UnsupportedOperationException if {@code libsqlite3.so.0} cannot be loaded
     * @throws IllegalStateException         if another installation is open, if SQLite is already initialized
     *                                       (its allocator can no longer be set), or if it fails to initialize
     */
    public static SqliteAllocator install(NativeBridge bridge) {
        Objects.requireNonNull(bridge, "bridge");
        SqliteAllocator installation = new SqliteAllocator(bridge);
        if (!INSTALLED.compareAndSet(null, installation)) {
            throw new IllegalStateException("SQLite's allocator is already installed over allocator '"
                    + INSTALLED.get().bridge.allocator().name() + "'; close that installation first");
        }
        try {
            installation.configure();
            return installation;
        } catch (RuntimeException | Error e) {
            INSTALLED.set(null);
            throw e;
        }
    }

    /** {@return whether {@code libsqlite3.so.0} can be loaded} */
    public static boolean isAvailable() {
        return NativeLibrary.SQLITE.isAvailable();
    }

    /** {@return the bridge SQLite allocates through} */
    public NativeBridge bridge() {
        return bridge;
    }

    /**
     * Shuts SQLite down ({@code sqlite3_shutdown}) and gives it back the allocator it had before; the
     * bridge stays open (close it after). Closing twice does nothing.
     *
     * @throws IllegalStateException if {@code sqlite3_shutdown} fails (then the bridge stays installed)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        int rc = Sqlite.shutdown();
        if (rc != Sqlite.SQLITE_OK) {
            throw new IllegalStateException("sqlite3_shutdown rc=" + rc + ": close every connection first");
        }
        int restored = Sqlite.config(Sqlite.SQLITE_CONFIG_MALLOC, previous);
        closed = true;
        INSTALLED.set(null);
        if (restored != Sqlite.SQLITE_OK) {
            throw new IllegalStateException("SQLite's previous allocator could not be restored: rc=" + restored);
        }
    }

    @Override
    public String toString() {
        return "SqliteAllocator[" + bridge + "]";
    }

    private void configure() {
        int rc = Sqlite.config(Sqlite.SQLITE_CONFIG_GETMALLOC, previous);
        if (rc == Sqlite.SQLITE_MISUSE) {
            throw new IllegalStateException("SQLite is already initialized (sqlite3_config rc=" + rc
                    + "): install its allocator before the first connection is opened, or after sqlite3_shutdown");
        }
        check(rc, "sqlite3_config(SQLITE_CONFIG_GETMALLOC)");
        MemorySegment methods = bridge.allocateInArena(Sqlite.MEM_METHODS);
        methods.setAtIndex(ValueLayout.ADDRESS, 0, bridge.adapterStub("sqlite.xMalloc",
                bridge.target("malloc", MethodType.methodType(long.class, long.class)), X_MALLOC));
        methods.setAtIndex(ValueLayout.ADDRESS, 1, bridge.pointer(CFunction.FREE));
        methods.setAtIndex(ValueLayout.ADDRESS, 2, bridge.adapterStub("sqlite.xRealloc",
                bridge.target("realloc", MethodType.methodType(long.class, long.class, long.class)), X_REALLOC));
        methods.setAtIndex(ValueLayout.ADDRESS, 3, bridge.adapterStub("sqlite.xSize", MethodHandles.explicitCastArguments(
                bridge.target("sizeOf", MethodType.methodType(long.class, long.class)), X_SIZE.toMethodType()), X_SIZE));
        methods.setAtIndex(ValueLayout.ADDRESS, 4, bridge.adapterStub("sqlite.xRoundup", own("roundUp", X_ROUNDUP), X_ROUNDUP));
        methods.setAtIndex(ValueLayout.ADDRESS, 5, bridge.adapterStub("sqlite.xInit", own("init", X_INIT), X_INIT));
        methods.setAtIndex(ValueLayout.ADDRESS, 6, bridge.adapterStub("sqlite.xShutdown", own("shutdown", X_SHUTDOWN),
                X_SHUTDOWN));
        // pAppData (index 7) stays NULL. SQLite copies the struct before sqlite3_config returns.
        check(Sqlite.config(Sqlite.SQLITE_CONFIG_MALLOC, methods), "sqlite3_config(SQLITE_CONFIG_MALLOC)");
        int initialized = Sqlite.initialize();
        if (initialized != Sqlite.SQLITE_OK) {
            Sqlite.config(Sqlite.SQLITE_CONFIG_MALLOC, previous);
            throw new IllegalStateException("sqlite3_initialize rc=" + initialized + " over allocator '"
                    + bridge.allocator().name() + "'");
        }
    }

    private static void check(int rc, String call) {
        if (rc != Sqlite.SQLITE_OK) {
            throw new IllegalStateException(call + " rc=" + rc);
        }
    }

    private static MethodHandle own(String name, FunctionDescriptor descriptor) {
        try {
            return MethodHandles.lookup().findStatic(SqliteAllocator.class, name, descriptor.toMethodType());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SqliteAllocator." + name + " not found", e);
        }
    }

    /** {@code int xRoundup(int n)}: the size a request of {@code n} bytes gets, a multiple of 8. */
    private static int roundUp(int n) {
        return (n + 7) & ~7;
    }

    /** {@code int xInit(void* pAppData)}: the bridge needs no set-up. */
    private static int init(long appData) {
        return Sqlite.SQLITE_OK;
    }

    /** {@code void xShutdown(void* pAppData)}: the bridge's blocks outlive SQLite's shutdown only if leaked. */
    private static void shutdown(long appData) {
    }
}
