package org.allocator4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.List;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.bump.BumpArena;
import org.allocator4j.compare.strategy.NativeAnchor;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
import org.allocator4j.tracking.Tracking;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.DefaultAllocationManagerOption;
import org.apache.arrow.memory.RootAllocator;

/**
 * One allocator of the JMH suite (a strategy of this repository or an anchor) behind one shape: a table
 * of numbered slots per thread, {@link Slots#allocate(int, int) allocate into a slot} and
 * {@link Slots#free(int) free a slot}. Every suite workload is written once against it.
 *
 * <p>Subjects: {@code system}, {@code slab}, {@code bump} (a {@link BumpArena} per thread, reset at the end of
 * each round), {@code tracking} (tracking over {@code system}, default sampling, no JMX); anchors {@code glibc},
 * {@code glibcCritical}, {@code jemalloc}, {@code mimalloc} (see {@link NativeAnchor}), {@code confined}
 * (an {@code Arena.ofConfined()} per block: allocate = open+allocate, free = close), {@code slicing}
 * ({@code SegmentAllocator.slicingAllocator} over a 64 MiB segment per thread, freeing nothing, rewound
 * when full and at the end of each round), {@code nettyPooled} ({@code PooledByteBufAllocator.DEFAULT} as it
 * comes; Netty without {@code Unsafe}, its default on JDK 24+, see {@link #nettyDefaultMode()}),
 * {@code nettyAdaptive} (a fresh {@code AdaptiveByteBufAllocator} with its defaults, direct buffers) and {@code arrow}
 * (an Arrow {@code RootAllocator}, {@code buffer} + {@code close}; needs Netty with {@code Unsafe}, so
 * the JVM needs {@code --sun-misc-unsafe-memory-access=allow} and
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}, which the suite's forks have).
 *
 * <p>A missing native library fails {@link #open(String)} with a message naming it; JMH then records that
 * benchmark as failed and goes on with the next one.
 */
abstract class SuiteSubject implements AutoCloseable {
    /** Every subject, the repository's strategies first. */
    static final List<String> ALL = List.of("system", "slab", "bump", "tracking", "glibc", "glibcCritical",
            "jemalloc", "mimalloc", "confined", "slicing", "nettyPooled", "nettyAdaptive", "arrow");

    /** The subjects whose blocks may be freed by another thread than the one that allocated them. */
    static final List<String> CROSS_THREAD = List.of("system", "slab", "tracking", "glibc", "glibcCritical",
            "jemalloc", "mimalloc", "nettyPooled", "nettyAdaptive", "arrow");

    private static final String NETTY_NO_UNSAFE = "io.netty.noUnsafe";
    private static final int ALIGNMENT = 8;
    private static final long SLICING_CAPACITY = 64L << 20;
    private static final Layout[] LAYOUTS = new Layout[65536 + 1];

    private final String name;

    SuiteSubject(String name) {
        this.name = name;
    }

    /**
     * Opens a subject by name.
     *
     * @throws IllegalArgumentException if {@code name} is not one of {@link #ALL}
     * @throws IllegalStateException if the subject's native library is missing
     */
    static SuiteSubject open(String name) {
        return switch (name) {
            case "system" -> new Global(name, GlobalAllocator.system());
            case "slab" -> new Global(name, SlabAllocator.create(SlabConfig.DEFAULT));
            case "tracking" -> new Global(name, Tracking.builder(GlobalAllocator.system()).jmx(false).build());
            case "bump" -> new Bump(name);
            case "glibc", "glibcCritical", "jemalloc", "mimalloc" -> new Native(name, NativeAnchor.of(name));
            case "confined" -> new Confined(name);
            case "slicing" -> new Slicing(name);
            case "nettyPooled" -> {
                nettyDefaultMode();
                yield new Netty(name, PooledByteBufAllocator.DEFAULT);
            }
            case "nettyAdaptive" -> {
                nettyDefaultMode();
                yield new Netty(name, new AdaptiveByteBufAllocator());
            }
            case "arrow" -> new Arrow(name);
            default -> throw new IllegalArgumentException("subject=" + name + "; expected one of " + ALL);
        };
    }

    /**
     * {@return the layout of {@code size} bytes, alignment 8, made once: the harness does not allocate
     * on the heap itself, so {@code -prof gc} shows only what the allocator does}
     */
    static Layout layout(int size) {
        if (size >= LAYOUTS.length) {
            return Layout.of(size, ALIGNMENT);
        }
        Layout layout = LAYOUTS[size];
        if (layout == null) {
            // A race makes two equal records; either is fine (records with final fields publish safely).
            layout = Layout.of(size, ALIGNMENT);
            LAYOUTS[size] = layout;
        }
        return layout;
    }

    /** All of memory, to write into blocks known only by their address (the native anchors). */
    private static final class Everything {
        static final MemorySegment SEGMENT = everything();

        @SuppressWarnings("restricted")
        private static MemorySegment everything() {
            // SAFETY: used only by fill, at the address of a live block malloc returned, for at most the
            // size asked of malloc.
            return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        }
    }

    private static void fill(MemorySegment segment, long offset, int size) {
        for (int i = 0; i < size; i++) {
            segment.set(ValueLayout.JAVA_BYTE, offset + i, (byte) i);
        }
    }

    /**
     * Keeps Netty in the mode it has by default on JDK 24 and later: without {@code sun.misc.Unsafe}. The
     * suite's forks allow Unsafe memory access because Arrow's allocator cannot work without it (its
     * Netty allocation manager reads the address of Netty's buffers); each fork measures one subject, so
     * the Netty subjects turn Unsafe off for Netty before Netty first looks. An explicit
     * {@code -Dio.netty.noUnsafe} wins.
     */
    static void nettyDefaultMode() {
        if (System.getProperty(NETTY_NO_UNSAFE) == null) {
            System.setProperty(NETTY_NO_UNSAFE, "true");
        }
    }

    /** {@return how Netty runs in this JVM, for the suite's output: Unsafe or not} */
    static String nettyMode() {
        return "netty hasUnsafe=" + io.netty.util.internal.PlatformDependent.hasUnsafe();
    }

    /** {@return this subject's name, as in {@link #ALL}} */
    final String name() {
        return name;
    }

    /** {@return a table of {@code count} empty slots, to be used by one thread (or handed over safely)} */
    abstract Slots slots(int count);

    /** Frees what the subject holds; every table must be empty (or abandoned for arena-like subjects). */
    @Override
    public void close() {
    }

    /** A table of slots, each empty or holding one block. Not thread-safe. */
    abstract static class Slots {
        /** Allocates {@code size} bytes (alignment 8) into the empty {@code slot}; returns the address. */
        abstract long allocate(int slot, int size);

        /** Frees the block in {@code slot}, which becomes empty. */
        abstract void free(int slot);

        /** Writes {@code (byte) i} at offset {@code i} of the block in {@code slot}, for {@code i < size}. */
        abstract void fill(int slot, int size);

        /**
         * Ends a round of a workload after which no block is live: arena-like subjects rewind here
         * (bump resets, slicing starts over); the others do nothing.
         */
        void round() {
        }
    }

    private static final class Global extends SuiteSubject {
        private final GlobalAllocator allocator;

        Global(String name, GlobalAllocator allocator) {
            super(name);
            this.allocator = allocator;
        }

        @Override
        Slots slots(int count) {
            return new GlobalSlots(allocator, count);
        }

        @Override
        public void close() {
            if (allocator instanceof SlabAllocator slab) {
                slab.close();
            }
        }
    }

    private static class GlobalSlots extends Slots {
        private final GlobalAllocator allocator;
        private final MemorySegment[] blocks;
        private final Layout[] layouts;

        GlobalSlots(GlobalAllocator allocator, int count) {
            this.allocator = allocator;
            this.blocks = new MemorySegment[count];
            this.layouts = new Layout[count];
        }

        @Override
        long allocate(int slot, int size) {
            Layout layout = layout(size);
            MemorySegment block = allocator.allocate(layout);
            blocks[slot] = block;
            layouts[slot] = layout;
            return block.address();
        }

        @Override
        void free(int slot) {
            allocator.deallocate(blocks[slot], layouts[slot]);
            blocks[slot] = null;
        }

        @Override
        void fill(int slot, int size) {
            SuiteSubject.fill(blocks[slot], 0, size);
        }
    }

    private static final class Bump extends SuiteSubject {
        Bump(String name) {
            super(name);
        }

        @Override
        Slots slots(int count) {
            BumpArena arena = BumpArena.create();
            return new GlobalSlots(arena, count) {
                @Override
                void round() {
                    arena.reset();
                }
            };
        }
    }

    private static final class Native extends SuiteSubject {
        private final int anchor;

        Native(String name, int anchor) {
            super(name);
            this.anchor = anchor;
            NativeAnchor.load(anchor);
        }

        @Override
        Slots slots(int count) {
            long[] addresses = new long[count];
            return new Slots() {
                @Override
                long allocate(int slot, int size) {
                    long address = NativeAnchor.malloc(anchor, size);
                    if (address == 0) {
                        throw new OutOfMemoryError(name() + ": malloc(" + size + ") returned NULL");
                    }
                    addresses[slot] = address;
                    return address;
                }

                @Override
                void free(int slot) {
                    NativeAnchor.free(anchor, addresses[slot]);
                    addresses[slot] = 0;
                }

                @Override
                void fill(int slot, int size) {
                    SuiteSubject.fill(Everything.SEGMENT, addresses[slot], size);
                }
            };
        }
    }

    private static final class Confined extends SuiteSubject {
        Confined(String name) {
            super(name);
        }

        @Override
        Slots slots(int count) {
            Arena[] arenas = new Arena[count];
            MemorySegment[] blocks = new MemorySegment[count];
            return new Slots() {
                @Override
                long allocate(int slot, int size) {
                    Arena arena = Arena.ofConfined();
                    arenas[slot] = arena;
                    MemorySegment block = arena.allocate(size, ALIGNMENT);
                    blocks[slot] = block;
                    return block.address();
                }

                @Override
                void free(int slot) {
                    arenas[slot].close();
                    arenas[slot] = null;
                    blocks[slot] = null;
                }

                @Override
                void fill(int slot, int size) {
                    SuiteSubject.fill(blocks[slot], 0, size);
                }
            };
        }
    }

    private static final class Slicing extends SuiteSubject {
        Slicing(String name) {
            super(name);
        }

        @Override
        Slots slots(int count) {
            MemorySegment backing = Arena.ofAuto().allocate(SLICING_CAPACITY, ALIGNMENT);
            MemorySegment[] blocks = new MemorySegment[count];
            return new Slots() {
                private SegmentAllocator slicer = SegmentAllocator.slicingAllocator(backing);

                @Override
                long allocate(int slot, int size) {
                    MemorySegment block;
                    try {
                        block = slicer.allocate(size, ALIGNMENT);
                    } catch (IndexOutOfBoundsException full) {
                        // Nothing is freed one by one: start over once the backing segment is used up.
                        round();
                        block = slicer.allocate(size, ALIGNMENT);
                    }
                    blocks[slot] = block;
                    return block.address();
                }

                @Override
                void free(int slot) {
                    blocks[slot] = null;
                }

                @Override
                void fill(int slot, int size) {
                    SuiteSubject.fill(blocks[slot], 0, size);
                }

                @Override
                void round() {
                    slicer = SegmentAllocator.slicingAllocator(backing);
                }
            };
        }
    }

    private static final class Netty extends SuiteSubject {
        private final io.netty.buffer.ByteBufAllocator allocator;

        Netty(String name, io.netty.buffer.ByteBufAllocator allocator) {
            super(name);
            this.allocator = allocator;
            System.out.println(name + ": " + nettyMode());
        }

        @Override
        Slots slots(int count) {
            ByteBuf[] buffers = new ByteBuf[count];
            return new Slots() {
                @Override
                long allocate(int slot, int size) {
                    ByteBuf buffer = allocator.directBuffer(size, size);
                    buffers[slot] = buffer;
                    return buffer.capacity();
                }

                @Override
                void free(int slot) {
                    buffers[slot].release();
                    buffers[slot] = null;
                }

                @Override
                void fill(int slot, int size) {
                    ByteBuf buffer = buffers[slot];
                    for (int i = 0; i < size; i++) {
                        buffer.setByte(i, i);
                    }
                }
            };
        }
    }

    private static final class Arrow extends SuiteSubject {
        private final BufferAllocator root;

        Arrow(String name) {
            super(name);
            // Arrow picks its allocation manager in a static initialiser; touching the default
            // configuration first keeps that initialisation out of the first allocation.
            DefaultAllocationManagerOption.getDefaultAllocationManagerType();
            this.root = new RootAllocator(Long.MAX_VALUE);
            System.out.println(name + ": " + nettyMode());
        }

        @Override
        Slots slots(int count) {
            ArrowBuf[] buffers = new ArrowBuf[count];
            return new Slots() {
                @Override
                long allocate(int slot, int size) {
                    ArrowBuf buffer = root.buffer(size);
                    buffers[slot] = buffer;
                    return buffer.memoryAddress();
                }

                @Override
                void free(int slot) {
                    buffers[slot].close();
                    buffers[slot] = null;
                }

                @Override
                void fill(int slot, int size) {
                    ArrowBuf buffer = buffers[slot];
                    for (int i = 0; i < size; i++) {
                        buffer.setByte(i, i);
                    }
                }
            };
        }

        @Override
        public void close() {
            root.close();
        }
    }
}
