package org.allocator4j.api;

import java.lang.foreign.MemorySegment;

/**
 * The built-in {@code system} allocator: libc's {@code malloc} family through {@link LibC}.
 *
 * @implNote Blocks aligned to at most {@value LibC#MALLOC_ALIGNMENT} bytes come from {@code malloc}
 * ({@code calloc} when zeroed) and are resized with {@code realloc}; more alignment uses
 * {@code posix_memalign} and reallocation copies. Thread-safe because libc's allocator is.
 */
final class SystemAllocator implements GlobalAllocator {
    static final SystemAllocator INSTANCE = new SystemAllocator();

    private SystemAllocator() {
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        if (size == 0) {
            return layout.dangling();
        }
        long address = layout.alignment() <= LibC.MALLOC_ALIGNMENT
                ? LibC.malloc(size)
                : LibC.alignedAlloc(size, layout.alignment());
        return block(address, layout);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        if (layout.size() == 0 || layout.alignment() > LibC.MALLOC_ALIGNMENT) {
            return GlobalAllocator.super.allocateZeroed(layout);
        }
        return block(LibC.calloc(layout.size()), layout);
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return; // the dangling block: nothing was allocated
        }
        if (layout.alignment() <= LibC.MALLOC_ALIGNMENT) {
            LibC.free(block.address());
        } else {
            LibC.alignedFree(block.address());
        }
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        if (layout.size() == 0 || newSize == 0 || layout.alignment() > LibC.MALLOC_ALIGNMENT) {
            return GlobalAllocator.super.reallocate(block, layout, newSize);
        }
        Layout newLayout = new Layout(newSize, layout.alignment());
        // realloc returns 0 and leaves the old block live when it fails: the caller still owns it.
        return block(LibC.realloc(block.address(), newSize), newLayout);
    }

    @Override
    public String name() {
        return SYSTEM;
    }

    @Override
    public String toString() {
        return "GlobalAllocator[system: libc malloc/free]";
    }

    private MemorySegment block(long address, Layout layout) {
        if (address == 0) {
            throw new AllocationException(SYSTEM, layout, "libc returned NULL (out of memory or size too large)");
        }
        return LibC.segment(address, layout.size());
    }
}
