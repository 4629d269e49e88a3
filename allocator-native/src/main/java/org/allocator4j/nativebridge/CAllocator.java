package org.allocator4j.nativebridge;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * C's allocation functions over a {@link GlobalAllocator}, with C's semantics: the targets of a
 * {@link NativeBridge}'s upcall stubs. Pointers and {@code size_t} are {@code long}s.
 *
 * <p>No method throws: an exception in an upcall would end the JVM. A request the allocator cannot meet
 * (its {@link org.allocator4j.api.AllocationException}, or an impossible size) returns NULL (0), counts a
 * failure and keeps the exception as the {@linkplain #lastFailure() last failure}; the allocator has
 * already told its listeners (tracking's JFR events and listeners see every failure). A pointer this
 * bridge did not hand out (or freed twice) is counted and otherwise ignored: it is never passed to the
 * allocator, so C's misuse cannot corrupt the allocator's blocks.
 *
 * @implNote Thread-safe: the allocator is, and the {@link PointerTable} is.
 */
final class CAllocator {
    /** {@code alignof(max_align_t)} on the 64-bit platforms supported: what malloc's blocks are aligned to. */
    static final long MAX_ALIGN = 16;

    private final GlobalAllocator allocator;
    private final PointerTable live = new PointerTable();
    private final LongAdder failures = new LongAdder();
    private final LongAdder unknownPointers = new LongAdder();
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    CAllocator(GlobalAllocator allocator) {
        this.allocator = allocator;
    }

    GlobalAllocator allocator() {
        return allocator;
    }

    /** {@code void* malloc(size_t size)}; {@code malloc(0)} returns a unique pointer to a 1-byte block. */
    long malloc(long size) {
        return allocate(size, MAX_ALIGN, false);
    }

    /** {@code void* calloc(size_t count, size_t size)}: zeroed; NULL if {@code count * size} overflows. */
    long calloc(long count, long size) {
        long high = Math.unsignedMultiplyHigh(count, size);
        if (high != 0 || count * size < 0) {
            return fail(new IllegalArgumentException("calloc count=" + Long.toUnsignedString(count) + " size="
                    + Long.toUnsignedString(size) + ": the product overflows; expected at most " + Long.MAX_VALUE));
        }
        return allocate(count * size, MAX_ALIGN, true);
    }

    /**
     * {@code void* aligned_alloc(size_t alignment, size_t size)}: NULL unless {@code alignment} is a power of
     * two; alignments below {@value #MAX_ALIGN} get {@value #MAX_ALIGN}, as from malloc.
     */
    long alignedAlloc(long alignment, long size) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            return fail(new IllegalArgumentException("aligned_alloc alignment=" + Long.toUnsignedString(alignment)
                    + ": expected a power of two"));
        }
        return allocate(size, Math.max(MAX_ALIGN, alignment), false);
    }

    /** {@code void free(void* ptr)}: {@code free(NULL)} does nothing; an unknown pointer is counted. */
    void free(long address) {
        if (address == 0) {
            return;
        }
        long packed = live.remove(address);
        if (packed == 0) {
            unknownPointers.increment();
            return;
        }
        try {
            allocator.deallocate(NativeAddresses.segment(address, PointerTable.size(packed)),
                    PointerTable.unpack(packed));
        } catch (RuntimeException | Error e) {
            fail(e); // the allocator's checked mode found misuse: reported, the block is left to it
        }
    }

    /**
     * {@code void* realloc(void* ptr, size_t size)} as glibc documents it: {@code realloc(NULL, n)} is
     * {@code malloc(n)}; {@code realloc(p, 0)} frees {@code p} and returns NULL; on failure NULL, and
     * {@code p} stays live and unchanged. A shrink the allocator cannot do keeps {@code p} (it is big enough).
     */
    long realloc(long address, long size) {
        if (address == 0) {
            return malloc(size);
        }
        if (size == 0) {
            free(address);
            return 0;
        }
        long packed = live.remove(address); // taken out first: a concurrent free of p (misuse) finds nothing
        if (packed == 0) {
            unknownPointers.increment();
            return 0;
        }
        Layout layout = PointerTable.unpack(packed);
        if (size > PointerTable.MAX_SIZE) {
            live.put(address, packed);
            return fail(new IllegalArgumentException("realloc size=" + Long.toUnsignedString(size)
                    + ": expected at most " + PointerTable.MAX_SIZE));
        }
        MemorySegment block = NativeAddresses.segment(address, layout.size());
        try {
            MemorySegment moved = allocator.reallocate(block, layout, size);
            live.put(moved.address(), PointerTable.pack(new Layout(size, layout.alignment())));
            return moved.address();
        } catch (RuntimeException | Error e) {
            live.put(address, packed); // the allocator's contract: on failure the old block is untouched
            fail(e);
            return size <= layout.size() ? address : 0;
        }
    }

    /**
     * Lua's {@code void* lua_Alloc(void* ud, void* ptr, size_t osize, size_t nsize)}: {@code nsize == 0}
     * frees {@code ptr} and returns NULL; {@code ptr == NULL} allocates ({@code osize} then codes the
     * object's type and is ignored); otherwise reallocates. NULL if and only if the request cannot be met.
     */
    long luaAlloc(long ud, long address, long oldSize, long newSize) {
        if (newSize == 0) {
            free(address);
            return 0;
        }
        return realloc(address, newSize);
    }

    /** {@return the size of a live block this bridge handed out, or -1 if {@code address} is not one} */
    long sizeOf(long address) {
        long packed = address == 0 ? 0 : live.get(address);
        return packed == 0 ? -1 : PointerTable.size(packed);
    }

    long liveBlocks() {
        return live.liveBlocks();
    }

    long liveBytes() {
        return live.liveBytes();
    }

    long failures() {
        return failures.sum();
    }

    long unknownPointers() {
        return unknownPointers.sum();
    }

    Throwable lastFailure() {
        return lastFailure.get();
    }

    /** Counts a failure and keeps it as the last one; {@return NULL} Never throws. */
    long fail(Throwable failure) {
        failures.increment();
        lastFailure.set(failure);
        return 0;
    }

    private long allocate(long size, long alignment, boolean zeroed) {
        // malloc(0) may return NULL or a unique pointer: glibc returns a unique one, and so do we, since some
        // libraries read NULL as out of memory. The GlobalAllocator's zero-size block is not unique.
        long bytes = size == 0 ? 1 : size;
        if (bytes < 0 || bytes > PointerTable.MAX_SIZE) {
            return fail(new IllegalArgumentException("size=" + Long.toUnsignedString(size) + ": expected at most "
                    + PointerTable.MAX_SIZE));
        }
        try {
            Layout layout = new Layout(bytes, alignment);
            MemorySegment block = zeroed ? allocator.allocateZeroed(layout) : allocator.allocate(layout);
            live.put(block.address(), PointerTable.pack(layout));
            return block.address();
        } catch (RuntimeException | Error e) {
            return fail(e);
        }
    }
}
