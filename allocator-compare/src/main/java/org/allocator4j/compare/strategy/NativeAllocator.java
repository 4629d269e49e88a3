package org.allocator4j.compare.strategy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.footprint.FootprintProbe;

/**
 * jemalloc or mimalloc, loaded from its shared library, as a {@link GlobalAllocator}: the native anchors
 * {@code compare} replays a trace on beside this project's strategies. One of the two files of
 * {@code compare} that make restricted FFM calls (the other is {@link GlibcMalloc}); each is under a
 * {@code // SAFETY:} comment.
 *
 * <p>jemalloc is called through its sized, aligned API ({@code mallocx}, {@code rallocx},
 * {@code sdallocx}, with {@code MALLOCX_LG_ALIGN} only where the size class is not aligned enough); its
 * footprint is {@code stats.resident} from {@code mallctl}. mimalloc is called through {@code mi_malloc},
 * {@code mi_realloc} and {@code mi_free}, and {@code mi_malloc_aligned} / {@code mi_realloc_aligned} where
 * the size class is not aligned enough; its footprint is the committed memory {@code mi_process_info} reports. Both follow the
 * project's zero-size rule here, in Java, since neither library is asked for zero bytes.
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
    private final MethodHandle plainAllocate;   // mimalloc: mi_malloc(size), for alignments malloc gives anyway
    private final MethodHandle plainReallocate; // mimalloc: mi_realloc(address, size)

    private NativeAllocator(NativeLibrary library, SymbolLookup lookup) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        if (library == NativeLibrary.JEMALLOC) {
            allocate = downcall(linker, lookup, "mallocx", FunctionDescriptor.of(WORD, WORD, ValueLayout.JAVA_INT), true);
            reallocate = downcall(linker, lookup, "rallocx", FunctionDescriptor.of(WORD, WORD, WORD, ValueLayout.JAVA_INT), true);
            free = downcall(linker, lookup, "sdallocx", FunctionDescriptor.ofVoid(WORD, WORD, ValueLayout.JAVA_INT), true);
            stats = downcall(linker, lookup, "mallctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, WORD), false);
            plainAllocate = null;
            plainReallocate = null;
        } else {
            allocate = downcall(linker, lookup, "mi_malloc_aligned", FunctionDescriptor.of(WORD, WORD, WORD), true);
            reallocate = downcall(linker, lookup, "mi_realloc_aligned", FunctionDescriptor.of(WORD, WORD, WORD, WORD), true);
            free = downcall(linker, lookup, "mi_free", FunctionDescriptor.ofVoid(WORD), true);
            plainAllocate = downcall(linker, lookup, "mi_malloc", FunctionDescriptor.of(WORD, WORD), true);
            plainReallocate = downcall(linker, lookup, "mi_realloc", FunctionDescriptor.of(WORD, WORD, WORD), true);
            stats = downcall(linker, lookup, "mi_process_info", FunctionDescriptor.ofVoid(
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS), false);
        }
    }

    /**
     * {@return the allocator of {@code library}}
     *
     * @throws UnsupportedOperationException if the library cannot be loaded or lacks a function; the message
     *                                       says why and how to fix it
     */
    public static NativeAllocator load(NativeLibrary library) {
        return new NativeAllocator(library, library.lookup());
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

    /** {@return a probe of the bytes this library holds from the OS} */
    public FootprintProbe footprint() {
        boolean jemalloc = library == NativeLibrary.JEMALLOC;
        return new FootprintProbe() {
            @Override
            public String source() {
                return jemalloc ? "jemalloc stats.resident" : "mimalloc committed (mi_process_info)";
            }

            @Override
            public long bytes() {
                return jemalloc ? jemallocResident() : mimallocCommitted();
            }
        };
    }

    private long jemallocResident() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            // Writing any value to "epoch" refreshes the statistics mallctl reads.
            value.set(ValueLayout.JAVA_LONG, 0, 1);
            length.set(ValueLayout.JAVA_LONG, 0, 8);
            int error = (int) stats.invokeExact(arena.allocateFrom("epoch"), value, length, value, 8L);
            if (error == 0) {
                length.set(ValueLayout.JAVA_LONG, 0, 8);
                error = (int) stats.invokeExact(arena.allocateFrom("stats.resident"), value, length,
                        MemorySegment.NULL, 0L);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, 8);
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
