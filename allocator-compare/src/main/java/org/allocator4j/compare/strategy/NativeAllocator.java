package org.allocator4j.compare.strategy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.footprint.FootprintProbe;

/**
 * jemalloc or mimalloc, loaded from its shared library, as a {@link GlobalAllocator}: the native anchors
 * {@code compare} replays a trace on beside this project's strategies. One of the two files of
 * {@code compare} that make restricted FFM calls (the other is {@link org.allocator4j.compare.footprint.GlibcMalloc}); each is under a
 * {@code // SAFETY:} comment.
 *
 * <p>jemalloc is called through its sized, aligned API ({@code mallocx}, {@code rallocx},
 * {@code sdallocx}, with {@code MALLOCX_LG_ALIGN} only where the size class is not aligned enough); its
 * own figure is {@code stats.resident} from {@code mallctl}. mimalloc is called through {@code mi_malloc},
 * {@code mi_realloc} and {@code mi_free}, and {@code mi_malloc_aligned_at(size, align, 0)} /
 * {@code mi_realloc_aligned_at(p, size, align, 0)} where the size class is not aligned enough: Debian 12's
 * mimalloc 2.0.9 {@code mi_malloc_aligned} returns 128-aligned blocks for power-of-two sizes 256..1024 at
 * alignments of 256 and more (fixed upstream after 2.0.9), its {@code _at} form does not. Its own figure is
 * the committed memory {@code mi_process_info} reports. Both follow the project's zero-size rule here, in
 * Java, since neither library is asked for zero bytes. Reading the figures allocates nothing: every
 * argument lives in memory set aside when the library is loaded.
 *
 * <p>The library is loaded by {@link NativeLibrary#lookup()}, which explains jemalloc's static TLS need.
 */
public final class NativeAllocator implements GlobalAllocator {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;
    /** The alignment both libraries' plain malloc gives every block on 64-bit platforms. */
    private static final long MALLOC_ALIGNMENT = 16;

    private final NativeLibrary library;
    private final MethodHandle allocate;   // (size, lgAlign or align) -> address
    private final MethodHandle reallocate; // (address, size, lgAlign or align) -> address
    private final MethodHandle free;       // jemalloc: (address, size, lgAlign); mimalloc: (address)
    private final MethodHandle stats;      // jemalloc: mallctl; mimalloc: mi_process_info
    private final MethodHandle plainAllocate;   // malloc(size) / mi_malloc(size): the JMH anchors; mimalloc's plain path
    private final MethodHandle plainFree;       // free(address) / mi_free(address): the JMH anchors
    private final MethodHandle plainReallocate; // mimalloc: mi_realloc(address, size)
    private final MethodHandle collect;         // mimalloc: mi_collect(force)
    private final MethodHandle miVersion;       // mimalloc: mi_version()
    private final Statistics statistics;

    /** The memory the statistics calls read and write, set aside once: reading them allocates nothing. */
    private record Statistics(MemorySegment value, MemorySegment length, MemorySegment epoch,
                              MemorySegment resident, MemorySegment tcacheFlush, MemorySegment purge,
                              MemorySegment version, MemorySegment processInfo) {
        static Statistics allocate() {
            Arena arena = Arena.global();
            return new Statistics(arena.allocate(ValueLayout.JAVA_LONG), arena.allocate(ValueLayout.JAVA_LONG),
                    arena.allocateFrom("epoch"), arena.allocateFrom("stats.resident"),
                    arena.allocateFrom("thread.tcache.flush"),
                    arena.allocateFrom("arena." + MALLCTL_ARENAS_ALL + ".purge"), arena.allocateFrom("version"),
                    arena.allocate(ValueLayout.JAVA_LONG, 8));
        }
    }

    /** jemalloc's MALLCTL_ARENAS_ALL: "arena.4096.purge" purges every arena. */
    private static final int MALLCTL_ARENAS_ALL = 4096;
    /** The longest version string read. */
    private static final int VERSION_LIMIT = 128;

    private NativeAllocator(NativeLibrary library, SymbolLookup lookup, boolean alignedAt) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        if (library == NativeLibrary.JEMALLOC) {
            allocate = downcall(linker, lookup, "mallocx", FunctionDescriptor.of(WORD, WORD, ValueLayout.JAVA_INT), true);
            reallocate = downcall(linker, lookup, "rallocx", FunctionDescriptor.of(WORD, WORD, WORD, ValueLayout.JAVA_INT), true);
            free = downcall(linker, lookup, "sdallocx", FunctionDescriptor.ofVoid(WORD, WORD, ValueLayout.JAVA_INT), true);
            stats = downcall(linker, lookup, "mallctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, WORD), false);
            plainAllocate = downcall(linker, lookup, "malloc", FunctionDescriptor.of(WORD, WORD), true);
            plainFree = downcall(linker, lookup, "free", FunctionDescriptor.ofVoid(WORD), true);
            plainReallocate = null;
            collect = null;
            miVersion = null;
        } else {
            if (alignedAt) {
                allocate = MethodHandles.insertArguments(downcall(linker, lookup, "mi_malloc_aligned_at",
                        FunctionDescriptor.of(WORD, WORD, WORD, WORD), true), 2, 0L);
                reallocate = MethodHandles.insertArguments(downcall(linker, lookup, "mi_realloc_aligned_at",
                        FunctionDescriptor.of(WORD, WORD, WORD, WORD, WORD), true), 3, 0L);
            } else {
                allocate = downcall(linker, lookup, "mi_malloc_aligned", FunctionDescriptor.of(WORD, WORD, WORD), true);
                reallocate = downcall(linker, lookup, "mi_realloc_aligned",
                        FunctionDescriptor.of(WORD, WORD, WORD, WORD), true);
            }
            free = downcall(linker, lookup, "mi_free", FunctionDescriptor.ofVoid(WORD), true);
            plainFree = free;
            plainAllocate = downcall(linker, lookup, "mi_malloc", FunctionDescriptor.of(WORD, WORD), true);
            plainReallocate = downcall(linker, lookup, "mi_realloc", FunctionDescriptor.of(WORD, WORD, WORD), true);
            stats = downcall(linker, lookup, "mi_process_info", FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS), false);
            collect = downcall(linker, lookup, "mi_collect", FunctionDescriptor.ofVoid(ValueLayout.JAVA_BOOLEAN), false);
            miVersion = downcall(linker, lookup, "mi_version", FunctionDescriptor.of(ValueLayout.JAVA_INT), false);
        }
        statistics = Statistics.allocate();
    }

    /**
     * {@return the allocator of {@code library}}
     *
     * @throws UnsupportedOperationException if the library cannot be loaded or lacks a function; the message
     *                                       says why and how to fix it
     */
    public static NativeAllocator load(NativeLibrary library) {
        return new NativeAllocator(library, library.lookup(), true);
    }

    /**
     * {@return mimalloc bound the broken way, through {@code mi_malloc_aligned} and {@code mi_realloc_aligned}}:
     * only for the regression test that shows the conformance suite catches it
     *
     * @throws UnsupportedOperationException if mimalloc cannot be loaded
     */
    static NativeAllocator mimallocThroughMiMallocAligned() {
        return new NativeAllocator(NativeLibrary.MIMALLOC, NativeLibrary.MIMALLOC.lookup(), false);
    }

    /**
     * {@return the library's plain {@code malloc(size_t) -> void*}} ({@code malloc} of jemalloc, {@code mi_malloc}
     * of mimalloc), as a {@code (long) -> long} handle: what the JMH anchors call ({@link NativeAnchor})
     */
    MethodHandle plainMalloc() {
        return plainAllocate;
    }

    /** {@return the library's plain {@code free(void*)}, as a {@code (long) -> void} handle, for the JMH anchors} */
    MethodHandle plainFree() {
        return plainFree;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        if (size == 0) {
            return layout.dangling(); // the zero-size rule; neither library is asked for 0 bytes
        }
        long address;
        try {
            if (library == NativeLibrary.JEMALLOC) {
                address = (long) allocate.invokeExact(size, lgAlign(layout));
            } else if (plainAligned(layout.size(), layout.alignment())) {
                address = (long) plainAllocate.invokeExact(size);
            } else {
                address = (long) allocate.invokeExact(size, layout.alignment());
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return block(address, layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return; // the dangling block: nothing was allocated
        }
        try {
            if (library == NativeLibrary.JEMALLOC) {
                free.invokeExact(block.address(), layout.size(), lgAlign(layout));
            } else {
                free.invokeExact(block.address());
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (layout.size() == 0 || newSize == 0) {
            return GlobalAllocator.super.reallocate(block, layout, newSize); // the zero-size rule
        }
        Layout newLayout = new Layout(newSize, layout.alignment());
        long address;
        try {
            if (library == NativeLibrary.JEMALLOC) {
                address = (long) reallocate.invokeExact(block.address(), newSize, lgAlign(newLayout));
            } else if (plainAligned(newSize, layout.alignment())) {
                address = (long) plainReallocate.invokeExact(block.address(), newSize);
            } else {
                address = (long) reallocate.invokeExact(block.address(), newSize, layout.alignment());
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        // Both return NULL and leave the old block live when they fail: the caller still owns it.
        return block(address, newLayout);
    }

    @Override
    public String name() {
        return library.allocatorName;
    }

    @Override
    public String toString() {
        return "GlobalAllocator[" + library.allocatorName + ": " + library.soname + " via FFM]";
    }

    /** {@return the library's own figure of the memory it holds} */
    public FootprintProbe footprint() {
        boolean jemalloc = library == NativeLibrary.JEMALLOC;
        return new FootprintProbe() {
            @Override
            public String source() {
                return jemalloc ? "jemalloc stats.resident" : "mimalloc committed (mi_process_info current_commit)";
            }

            @Override
            public long bytes() {
                return jemalloc ? jemallocResident() : mimallocCommitted();
            }
        };
    }

    /**
     * Asks the library to give its free memory back to the OS: jemalloc flushes this thread's cache and
     * purges every arena; mimalloc collects with force.
     */
    public void release() {
        try {
            if (library == NativeLibrary.JEMALLOC) {
                int flushed = (int) stats.invokeExact(statistics.tcacheFlush(), MemorySegment.NULL, MemorySegment.NULL,
                        MemorySegment.NULL, 0L);
                int purged = (int) stats.invokeExact(statistics.purge(), MemorySegment.NULL, MemorySegment.NULL,
                        MemorySegment.NULL, 0L);
                if (flushed != 0 || purged != 0) {
                    throw new IllegalStateException("jemalloc mallctl(thread.tcache.flush)=" + flushed
                            + ", mallctl(arena." + MALLCTL_ARENAS_ALL + ".purge)=" + purged + "; expected 0");
                }
            } else {
                collect.invokeExact(true);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(library.allocatorName + " release failed", t);
        }
    }

    /** {@return what {@link #release()} does, for the reports} */
    public String releaseDescription() {
        return library == NativeLibrary.JEMALLOC ? "jemalloc thread.tcache.flush and arena.all.purge"
                : "mi_collect(true)";
    }

    /** {@return the library's version: jemalloc's "version" mallctl, mimalloc's mi_version()} */
    @SuppressWarnings("restricted")
    public String version() {
        try {
            if (library == NativeLibrary.JEMALLOC) {
                statistics.length().set(ValueLayout.JAVA_LONG, 0, ValueLayout.ADDRESS.byteSize());
                int error = (int) stats.invokeExact(statistics.version(), statistics.value(), statistics.length(),
                        MemorySegment.NULL, 0L);
                if (error != 0) {
                    return "unknown (mallctl(version)=" + error + ")";
                }
                MemorySegment text = statistics.value().get(ValueLayout.ADDRESS, 0);
                // SAFETY: mallctl("version") stores a pointer to jemalloc's static NUL-terminated version
                // string, valid for the life of the process; getString stops at its NUL, well within the limit.
                return text.reinterpret(VERSION_LIMIT).getString(0);
            }
            int v = (int) miVersion.invokeExact();
            return (v / 100) + "." + (v / 10 % 10) + "." + (v % 10);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(library.allocatorName + " version failed", t);
        }
    }

    private long jemallocResident() {
        try {
            MemorySegment value = statistics.value();
            MemorySegment length = statistics.length();
            // Writing any value to "epoch" refreshes the statistics mallctl reads.
            value.set(ValueLayout.JAVA_LONG, 0, 1);
            length.set(ValueLayout.JAVA_LONG, 0, 8);
            int error = (int) stats.invokeExact(statistics.epoch(), value, length, value, 8L);
            if (error == 0) {
                length.set(ValueLayout.JAVA_LONG, 0, 8);
                error = (int) stats.invokeExact(statistics.resident(), value, length, MemorySegment.NULL, 0L);
            }
            if (error != 0) {
                throw new IllegalStateException("jemalloc mallctl(stats.resident) failed: error=" + error
                        + " (built without --enable-stats?)");
            }
            return value.get(ValueLayout.JAVA_LONG, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("jemalloc mallctl failed", t);
        }
    }

    private long mimallocCommitted() {
        try {
            MemorySegment out = statistics.processInfo();
            // mi_process_info(elapsed, user, system, current_rss, peak_rss, current_commit, peak_commit, faults)
            stats.invokeExact(out.asSlice(0, 8), out.asSlice(8, 8), out.asSlice(16, 8), out.asSlice(24, 8),
                    out.asSlice(32, 8), out.asSlice(40, 8), out.asSlice(48, 8), out.asSlice(56, 8));
            return out.get(ValueLayout.JAVA_LONG, 40);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mi_process_info failed", t);
        }
    }

    @SuppressWarnings("restricted")
    private MemorySegment block(long address, Layout layout) {
        if (address == 0) {
            throw new AllocationException(library.allocatorName, layout, library.soname + " returned NULL");
        }
        // SAFETY: the library just returned this address for at least layout.size() bytes; the segment is
        // used only until it is passed to deallocate or reallocate, as the GlobalAllocator contract says.
        return MemorySegment.ofAddress(address).reinterpret(layout.size());
    }

    /**
     * {@return jemalloc's alignment flag for {@code layout}: MALLOCX_LG_ALIGN(la) is la itself}; 0 (the fast,
     * unaligned path) where the size class aligns enough anyway. The same layout always gives the same
     * flag, as sdallocx requires.
     */
    private static int lgAlign(Layout layout) {
        return plainAligned(layout.size(), layout.alignment()) ? 0 : Long.numberOfTrailingZeros(layout.alignment());
    }

    /**
     * {@return whether the plain malloc of either library aligns {@code size} bytes to {@code alignment}}:
     * every size class is 8-aligned, and classes of 16 bytes or more 16-aligned; below 16 bytes only 8 is
     * guaranteed (the integrity check caught a 7-byte block at an address of 8 mod 16)
     */
    private static boolean plainAligned(long size, long alignment) {
        return alignment <= 8 || (alignment <= MALLOC_ALIGNMENT && size >= MALLOC_ALIGNMENT);
    }

    @SuppressWarnings("restricted")
    private MethodHandle downcall(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor,
                                  boolean critical) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new UnsupportedOperationException(
                library.soname + " has no function '" + name + "' (an unexpected build of " + library.allocatorName + ")"));
        // SAFETY: each descriptor matches the C prototype on 64-bit Linux (size_t and pointers passed as
        // 64-bit integers, int as JAVA_INT, out-parameters as ADDRESS into memory we allocate for the call).
        // critical(false), as the system allocator's libc calls, skips the thread-state transition: sound for the
        // allocation functions, which never call back into Java and return after bounded work. Not for
        // mallctl and mi_process_info, which may take locks for a while.
        return critical
                ? linker.downcallHandle(symbol, descriptor, Linker.Option.critical(false))
                : linker.downcallHandle(symbol, descriptor);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a native allocator", t);
    }
}
