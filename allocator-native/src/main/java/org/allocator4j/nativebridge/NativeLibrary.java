package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The native libraries the adapters bind, and the one place they are loaded and their functions linked
 * ({@link SymbolLookup#libraryLookup} and {@link Linker#downcallHandle}): {@link Zstd}, {@link Sqlite} and
 * {@link Lua} hold the handles.
 *
 * <p>A library is loaded on first use, for the life of the JVM. A missing one fails with an
 * {@link UnsupportedOperationException} that names the Debian package to install.
 */
enum NativeLibrary {
    ZSTD("libzstd.so.1", "libzstd1"),
    SQLITE("libsqlite3.so.0", "libsqlite3-0"),
    LUA("liblua5.4.so.0", "liblua5.4-0");

    private static final Linker LINKER = Linker.nativeLinker();

    /** The shared library's file name, as {@code dlopen} is given it. */
    final String soname;
    /** The Debian package that installs it. */
    final String debianPackage;
    private volatile SymbolLookup lookup;
    private volatile String missing;

    NativeLibrary(String soname, String debianPackage) {
        this.soname = soname;
        this.debianPackage = debianPackage;
    }

    /** {@return whether the library can be loaded} Loads it if it can. */
    boolean isAvailable() {
        try {
            lookup();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * {@return a downcall handle of the library's function {@code name}}
     *
     * @param name       the exported symbol
     * @param descriptor its C prototype; the callers' field comments say why each matches
     * @param options    linker options (variadic arguments)
     * @throws UnsupportedOperationException if the library cannot be loaded or has no such symbol
     */
    @SuppressWarnings("restricted")
    MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        var symbol = lookup().find(name).orElseThrow(() -> new UnsupportedOperationException(
                "symbol '" + name + "' not found in " + soname + " (package " + debianPackage + ")"));
        // SAFETY: each caller's descriptor matches the C prototype of `name` in the library's header on LP64
        // (pointers and size_t 64-bit, int as JAVA_INT). Not critical: these functions may call back into
        // Java through a bridge's allocation hooks, which a critical downcall must not do.
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    @SuppressWarnings("restricted")
    private SymbolLookup lookup() {
        SymbolLookup found = lookup;
        if (found != null) {
            return found;
        }
        if (missing != null) {
            throw new UnsupportedOperationException(missing);
        }
        synchronized (this) {
            if (lookup == null && missing == null) {
                try {
                    // SAFETY: loading zstd, SQLite or Lua runs no code beyond their initialisers, which set up
                    // nothing but static tables. The global arena keeps the library loaded for the life of the
                    // JVM: contexts and hooks handed to it may live as long.
                    lookup = SymbolLookup.libraryLookup(soname, Arena.global());
                } catch (IllegalArgumentException e) {
                    missing = soname + " cannot be loaded (" + e.getMessage() + "); on Debian: apt-get install "
                            + debianPackage;
                }
            }
        }
        return lookup();
    }

    /** {@return {@code t} from a downcall, unchecked} A downcall declares {@code Throwable}; ours throw none. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
