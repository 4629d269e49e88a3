package org.allocator4j.compare.strategy;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * The native allocators the benchmarks and {@code compare} measure beside this project's strategies, and
 * the one place their shared libraries are loaded: {@link NativeAnchor} (the JMH anchors) and
 * {@code compare}'s {@code NativeAllocator} both find their functions through {@link #lookup()}.
 *
 * <p>Debian's {@code libjemalloc.so.2} needs static TLS room that a running JVM may not have left: loading it
 * then fails with "cannot allocate memory in static TLS block" unless the JVM was started with
 * {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384} in its environment. The JDK's message hides
 * {@code dlerror()}, so a missing library and a full static TLS block look the same; the exception says
 * both fixes. Libraries are loaded with {@code dlopen}'s local scope, so they do not replace the process's
 * {@code malloc}. {@code allocator-compare/install-anchors.sh} installs both.
 */
public enum NativeLibrary {
    JEMALLOC("jemalloc", "libjemalloc.so.2", "libjemalloc2"),
    MIMALLOC("mimalloc", "libmimalloc.so.2", "libmimalloc2.0");

    /** The name the benchmarks and {@code compare} give this allocator. */
    public final String allocatorName;
    /** The shared library's file name, as {@code dlopen} is given it. */
    public final String soname;
    /** The Debian package that installs the library. */
    public final String debianPackage;

    NativeLibrary(String allocatorName, String soname, String debianPackage) {
        this.allocatorName = allocatorName;
        this.soname = soname;
        this.debianPackage = debianPackage;
    }

    /**
     * {@return the library's symbols, loading it into the process for the life of the JVM}
     *
     * @throws UnsupportedOperationException if it cannot be loaded; the message gives the JDK's reason and how
     *                                       to fix it
     */
    @SuppressWarnings("restricted")
    public SymbolLookup lookup() {
        try {
            // SAFETY: loading a shared library runs its constructors; jemalloc and mimalloc only set up their
            // heaps. The global arena keeps it loaded for the life of the JVM, as every block may outlive us.
            // Its symbols are called only through downcalls whose descriptors match their C prototypes.
            return SymbolLookup.libraryLookup(soname, Arena.global());
        } catch (IllegalArgumentException e) {
            String tunables = String.valueOf(System.getenv("GLIBC_TUNABLES"));
            String fix = "install it (allocator-compare/install-anchors.sh, or on Debian: apt-get install "
                    + debianPackage + ")"
                    + (this == JEMALLOC && !tunables.contains("optional_static_tls")
                    ? ", and if it is installed, start the JVM with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384"
                    + " in its environment (Debian's jemalloc needs static TLS room a running JVM lacks)" : "");
            throw new UnsupportedOperationException(soname + " cannot be loaded (" + e.getMessage() + "); " + fix, e);
        }
    }
}
