package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The binding of {@code libsqlite3.so.0} (Debian {@code libsqlite3-0}): the functions
 * {@link SqliteAllocator} and its tests call, linked on first use. Prototypes from {@code sqlite3.h}.
 */
final class Sqlite {
    static final int SQLITE_OK = 0;
    static final int SQLITE_NOMEM = 7;
    static final int SQLITE_MISUSE = 21;
    static final int SQLITE_CONFIG_MALLOC = 4;
    static final int SQLITE_CONFIG_GETMALLOC = 5;

    /** {@code struct sqlite3_mem_methods}: seven function pointers and {@code void* pAppData}. */
    static final StructLayout MEM_METHODS = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("xMalloc"),
            ValueLayout.ADDRESS.withName("xFree"),
            ValueLayout.ADDRESS.withName("xRealloc"),
            ValueLayout.ADDRESS.withName("xSize"),
            ValueLayout.ADDRESS.withName("xRoundup"),
            ValueLayout.ADDRESS.withName("xInit"),
            ValueLayout.ADDRESS.withName("xShutdown"),
            ValueLayout.ADDRESS.withName("pAppData"));

    private static final ValueLayout POINTER = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    // int sqlite3_config(int op, ...); called with one sqlite3_mem_methods* after op
    private static final MethodHandle CONFIG_POINTER = NativeLibrary.SQLITE.downcall("sqlite3_config",
            FunctionDescriptor.of(INT, INT, POINTER), Linker.Option.firstVariadicArg(1));
    // int sqlite3_initialize(void); int sqlite3_shutdown(void);
    private static final MethodHandle INITIALIZE = NativeLibrary.SQLITE.downcall("sqlite3_initialize",
            FunctionDescriptor.of(INT));
    private static final MethodHandle SHUTDOWN = NativeLibrary.SQLITE.downcall("sqlite3_shutdown",
            FunctionDescriptor.of(INT));
    // int sqlite3_open(const char* filename, sqlite3** ppDb);
    private static final MethodHandle OPEN = NativeLibrary.SQLITE.downcall("sqlite3_open",
            FunctionDescriptor.of(INT, POINTER, POINTER));
    // int sqlite3_close(sqlite3*);
    private static final MethodHandle CLOSE = NativeLibrary.SQLITE.downcall("sqlite3_close",
            FunctionDescriptor.of(INT, POINTER));
    // int sqlite3_exec(sqlite3*, const char* sql, int (*callback)(void*,int,char**,char**), void*, char** errmsg);
    private static final MethodHandle EXEC = NativeLibrary.SQLITE.downcall("sqlite3_exec",
            FunctionDescriptor.of(INT, POINTER, POINTER, POINTER, POINTER, POINTER));
    // const char* sqlite3_errmsg(sqlite3*);
    private static final MethodHandle ERRMSG = NativeLibrary.SQLITE.downcall("sqlite3_errmsg",
            FunctionDescriptor.of(POINTER, POINTER));
    // unsigned char* sqlite3_serialize(sqlite3*, const char* zSchema, sqlite3_int64* piSize, unsigned int mFlags);
    private static final MethodHandle SERIALIZE = NativeLibrary.SQLITE.downcall("sqlite3_serialize",
            FunctionDescriptor.of(POINTER, POINTER, POINTER, POINTER, INT));
    // void sqlite3_free(void*);
    private static final MethodHandle FREE = NativeLibrary.SQLITE.downcall("sqlite3_free",
            FunctionDescriptor.ofVoid(POINTER));
    // sqlite3_int64 sqlite3_memory_used(void);
    private static final MethodHandle MEMORY_USED = NativeLibrary.SQLITE.downcall("sqlite3_memory_used",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG));

    private Sqlite() {
    }

    /** {@return {@code sqlite3_config(op, pointer)}'s result code} */
    static int config(int op, MemorySegment pointer) {
        try {
            return (int) CONFIG_POINTER.invokeExact(op, pointer);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int initialize() {
        try {
            return (int) INITIALIZE.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int shutdown() {
        try {
            return (int) SHUTDOWN.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /**
     * {@return a new connection to {@code filename} (e.g. {@code ":memory:"})}
     *
     * @throws IllegalStateException with SQLite's result code if it cannot be opened (the handle is closed)
     */
    static MemorySegment open(String filename) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(POINTER);
            int rc = (int) OPEN.invokeExact(arena.allocateFrom(filename), out);
            MemorySegment db = out.get(ValueLayout.ADDRESS, 0);
            if (rc != SQLITE_OK) {
                String message = db.address() == 0 ? "no handle" : errmsg(db);
                close(db);
                throw new IllegalStateException("sqlite3_open(" + filename + ") rc=" + rc + ": " + message);
            }
            return db;
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return {@code sqlite3_close(db)}'s result code} {@code db} may be NULL. */
    static int close(MemorySegment db) {
        try {
            return (int) CLOSE.invokeExact(db);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the result code of running {@code sql} (any number of statements) on {@code db}} */
    static int exec(MemorySegment db, String sql) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) EXEC.invokeExact(db, arena.allocateFrom(sql), MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the English message of the last failed call on {@code db}} */
    static String errmsg(MemorySegment db) {
        try {
            return NativeAddresses.cString((MemorySegment) ERRMSG.invokeExact(db));
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /**
     * {@return the database image of {@code db}'s main schema, as a file of it would hold}
     *
     * @throws IllegalStateException if SQLite returned NULL (out of memory)
     */
    static byte[] serialize(MemorySegment db) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment image = (MemorySegment) SERIALIZE.invokeExact(db, arena.allocateFrom("main"), size, 0);
            if (image.address() == 0) {
                throw new IllegalStateException("sqlite3_serialize returned NULL: " + errmsg(db));
            }
            try {
                return NativeAddresses.view(image, size.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                FREE.invokeExact(image);
            }
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** {@return the bytes SQLite holds now, by its own count} */
    static long memoryUsed() {
        try {
            return (long) MEMORY_USED.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }
}
