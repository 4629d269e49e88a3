package org.allocator4j.compare.footprint;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * glibc's {@code mallinfo2()}, {@code malloc_info()} and {@code getpagesize()} through FFM downcalls: the footprint of the
 * {@code system} allocator, and of strategies whose memory comes from {@code malloc}. One of the two files
 * of {@code compare} that make restricted FFM calls (the other is {@link NativeAllocator}).
 *
 * <p>{@code mallinfo2} sums over every arena of the process, so the JVM's own {@code malloc} calls (JIT,
 * GC, class loading) show up too: a few hundred KB of noise, small beside most traces.
 */
public final class GlibcMalloc {
    /** {@code struct mallinfo2}: ten {@code size_t} fields. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"),      // non-mmapped space held from the OS
            ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"),
            ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"),     // space in mmapped regions
            ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"),
            ValueLayout.JAVA_LONG.withName("uordblks"),   // space in allocated chunks
            ValueLayout.JAVA_LONG.withName("fordblks"),
            ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long ARENA = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("arena"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));

    private static final MethodHandle MALLINFO2_HANDLE = find("mallinfo2", FunctionDescriptor.of(MALLINFO2)).orElse(null);
    private static final MethodHandle OPEN_MEMSTREAM = find("open_memstream",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)).orElse(null);
    private static final MethodHandle MALLOC_INFO = find("malloc_info",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)).orElse(null);
    private static final MethodHandle FCLOSE = find("fclose",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS)).orElse(null);
    private static final MethodHandle FREE = find("free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)).orElse(null);

    private static final Pattern HEAP = Pattern.compile("<heap nr=\"(\\d+)\">(.*?)</heap>", Pattern.DOTALL);
    private static final Pattern FAST = Pattern.compile("<total type=\"fast\" count=\"\\d+\" size=\"(\\d+)\"/>");
    private static final Pattern REST = Pattern.compile("<total type=\"rest\" count=\"\\d+\" size=\"(\\d+)\"/>");
    private static final Pattern MMAP = Pattern.compile("<total type=\"mmap\" count=\"\\d+\" size=\"(\\d+)\"/>");
    private static final Pattern CURRENT = Pattern.compile("<system type=\"current\" size=\"(\\d+)\"/>");
    /** The probe block that finds the replay thread's arena: well above tcache and fastbin sizes, below mmap's. */
    private static final long ARENA_PROBE_BYTES = 120 * 1024;
    private static final MethodHandle GETPAGESIZE = find("getpagesize", FunctionDescriptor.of(ValueLayout.JAVA_INT)).orElse(null);

    private GlibcMalloc() {
    }

    /** {@return whether {@code mallinfo2} exists (glibc 2.33 or later)} */
    public static boolean available() {
        return MALLINFO2_HANDLE != null;
    }

    /**
     * {@return a probe of the bytes glibc's malloc holds from the OS: {@code arena + hblkhd}}, the footprint
     * of the {@code system} allocator (free chunks it keeps included). The replay reports its growth from
     * the start: free chunks the JVM left in glibc's heap before the replay are not counted, so a small
     * trace that fits in them shows less footprint than it would in a fresh process.
     */
    public static FootprintProbe heldFromOs() {
        return probe("mallinfo2 arena+hblkhd growth", true);
    }

    /**
     * {@return a probe of the bytes in allocated malloc chunks: {@code uordblks + hblkhd}}, the footprint of
     * a strategy that takes its memory from malloc (directly, through {@code system}, or through a JDK
     * {@code Arena}): what it holds from its parent
     */
    public static FootprintProbe inUse() {
        return probe("malloc in use (mallinfo2)", false);
    }

    /**
     * {@return a probe of the memory of the arena the replaying thread allocates from, plus every mmapped
     * chunk}, read with {@code malloc_info}; or the process-wide {@link #heldFromOs()} / {@link #inUse()}
     * where {@code malloc_info} or {@code open_memstream} is missing
     *
     * <p>glibc gives each thread an arena; the JVM's own threads (JIT compilers above all) allocate from
     * theirs, and a process-wide figure moves by megabytes with their work. The probe finds the replaying
     * thread's arena when its baseline is read: it allocates and frees a {@value #ARENA_PROBE_BYTES}-byte block
     * on that thread and looks for the arena whose bytes in use moved by as much, then reads only that arena (its
     * {@code system current} size, or that minus its free bytes for {@code held == false}) plus the mmapped
     * chunks of the whole process (which the JVM rarely makes). The arena is the replay's alone only if glibc
     * gave the replaying thread an arena of its own: {@link ReplayWorker} starts its JVM with
     * {@code glibc.malloc.arena_max} raised so that it does; in a JVM with more threads than the default
     * {@code 8 x cores} arenas, other threads may share it.
     *
     * @param held true for the bytes held from the OS (the footprint of {@code system}), false for the bytes
     *             in allocated chunks (what a strategy over malloc holds from its parent)
     */
    public static FootprintProbe replayArena(boolean held) {
        if (MALLOC_INFO == null || OPEN_MEMSTREAM == null || FCLOSE == null || FREE == null) {
            return held ? heldFromOs() : inUse();
        }
        return new FootprintProbe() {
            private int arena = -1;
            private long mmappedBaseline = -1;

            @Override
            public String source() {
                return held ? "malloc_info: replay arena" : "malloc_info: in use, replay arena";
            }

            @Override
            public long baseline() {
                // Allocate a probe block on this thread, then free it: this thread's arena is the one whose
                // bytes in use rose by the probe's size and fell back by as much (another thread's work could
                // fake one of the two moves, hardly both). Of several, the closest to the probe's size wins.
                Layout layout = Layout.of(ARENA_PROBE_BYTES, 16);
                long[][] before = arenas(mallocInfo());
                java.lang.foreign.MemorySegment block = GlobalAllocator.system().allocate(layout);
                long[][] allocated = arenas(mallocInfo());
                GlobalAllocator.system().deallocate(block, layout);
                long[][] freed = arenas(mallocInfo());
                arena = -1;
                mmappedBaseline = -1;
                long best = Long.MAX_VALUE;
                int count = Math.min(before.length, Math.min(allocated.length, freed.length)) - 1;
                for (int nr = 0; nr < count; nr++) {
                    long rose = used(allocated[nr]) - used(before[nr]);
                    long fell = used(allocated[nr]) - used(freed[nr]);
                    long distance = Math.abs(rose - ARENA_PROBE_BYTES) + Math.abs(fell - ARENA_PROBE_BYTES);
                    // 90%: malloc_info's own output buffer is allocated and freed in this arena in between.
                    long enough = ARENA_PROBE_BYTES * 9 / 10;
                    if (rose >= enough && fell >= enough && distance < best) {
                        best = distance;
                        arena = nr;
                    }
                }
                return bytes();
            }

            private static long used(long[] arena) {
                return arena[0] - arena[1];
            }

            @Override
            public long bytes() {
                return bytes(0);
            }

            @Override
            public long bytes(long liveLargeBytes) {
                long[][] arenas = arenas(mallocInfo());
                // Mmapped chunks are counted for the whole process: the JVM's come and go too. Count only
                // their growth since the baseline, and no more than the replay's own large blocks.
                long mmapped = arenas[arenas.length - 1][0];
                if (mmappedBaseline < 0) {
                    mmappedBaseline = mmapped;
                }
                long ownMmapped = Math.min(Math.max(0, mmapped - mmappedBaseline), liveLargeBytes);
                if (arena < 0 || arena >= arenas.length - 1) {
                    // The arena was not found: fall back to every arena of the process.
                    long sum = 0;
                    for (int nr = 0; nr < arenas.length - 1; nr++) {
                        sum += held ? arenas[nr][0] : arenas[nr][0] - arenas[nr][1];
                    }
                    return sum + ownMmapped;
                }
                return (held ? arenas[arena][0] : arenas[arena][0] - arenas[arena][1]) + ownMmapped;
            }
        };
    }

    /**
     * {@return {system current, free} for each arena by number, then {mmapped bytes, 0} as the last element}
     *
     * @param xml what {@code malloc_info(0, ...)} wrote
     */
    public static long[][] arenas(String xml) {
        java.util.List<long[]> arenas = new java.util.ArrayList<>();
        Matcher heap = HEAP.matcher(xml);
        int end = 0;
        while (heap.find()) {
            int nr = Integer.parseInt(heap.group(1));
            String body = heap.group(2);
            while (arenas.size() <= nr) {
                arenas.add(new long[2]);
            }
            arenas.set(nr, new long[] {number(CURRENT, body), number(FAST, body) + number(REST, body)});
            end = heap.end();
        }
        arenas.add(new long[] {number(MMAP, xml.substring(end)), 0});
        return arenas.toArray(long[][]::new);
    }

    private static long number(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** {@return the XML {@code malloc_info(0, ...)} writes, through an {@code open_memstream} buffer} */
    @SuppressWarnings("restricted")
    private static String mallocInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bufferPointer = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment sizePointer = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment stream = (MemorySegment) OPEN_MEMSTREAM.invokeExact(bufferPointer, sizePointer);
            if (stream.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("open_memstream failed");
            }
            int error = (int) MALLOC_INFO.invokeExact(0, stream);
            int closed = (int) FCLOSE.invokeExact(stream); // flushes: the buffer and size are final now
            MemorySegment buffer = bufferPointer.get(ValueLayout.ADDRESS, 0);
            long size = sizePointer.get(ValueLayout.JAVA_LONG, 0);
            try {
                if (error != 0 || closed != 0) {
                    throw new IllegalStateException("malloc_info failed: error=" + error + ", fclose=" + closed);
                }
                // SAFETY: after fclose, open_memstream's buffer holds size bytes (plus a NUL) that we own
                // until we free it below; nothing else refers to it.
                return buffer.reinterpret(size + 1).getString(0, java.nio.charset.StandardCharsets.US_ASCII);
            } finally {
                FREE.invokeExact(buffer);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("malloc_info() failed", t);
        }
    }

    /** {@return the page size, 4096 if it cannot be asked} */
    public static long pageSize() {
        if (GETPAGESIZE == null) {
            return 4096;
        }
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getpagesize() failed", t);
        }
    }

    private static FootprintProbe probe(String source, boolean held) {
        if (MALLINFO2_HANDLE == null) {
            return FootprintProbe.NONE;
        }
        return new FootprintProbe() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public long bytes() {
                return read(held);
            }

            private long read(boolean heldBytes) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment info = (MemorySegment) MALLINFO2_HANDLE.invokeExact((java.lang.foreign.SegmentAllocator) arena);
                    long mapped = info.get(ValueLayout.JAVA_LONG, HBLKHD);
                    return mapped + info.get(ValueLayout.JAVA_LONG, heldBytes ? ARENA : UORDBLKS);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException("mallinfo2() failed", t);
                }
            }
        };
    }

    @SuppressWarnings("restricted")
    private static Optional<MethodHandle> find(String name, FunctionDescriptor descriptor) {
        Linker linker = Linker.nativeLinker();
        // SAFETY: each descriptor matches glibc's prototype on 64-bit Linux: struct mallinfo2 is ten size_t
        // (returned by value, into memory the handle's SegmentAllocator provides); getpagesize returns int;
        // open_memstream(char **, size_t *) returns FILE *, malloc_info(int, FILE *) and fclose(FILE *)
        // return int, free(void *). Out-parameters point into a confined arena that outlives the call.
        // None of them calls back into Java.
        return linker.defaultLookup().find(name).map(symbol -> linker.downcallHandle(symbol, descriptor));
    }
}
