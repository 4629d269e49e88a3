package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Serves {@code allocateZeroed} of up to 1 KiB (alignment up to 8) from a new Java {@code long[]}
 * ("arrays come zeroed for free"): the segment is a heap segment at address 0, not native memory.
 * {@code allocate} is native and right.
 *
 * <p>Shows when: {@code allocateZeroed} of {@code 1..1024} bytes with {@code alignment <= 8}; visible
 * through {@code isNative()}, {@code address()} (0, shared by all of them) or {@code heapBase()}.
 *
 * <p>Hazard: a checker that turns {@code address()} into a native segment and touches it reads page zero
 * and crashes the JVM (SIGSEGV, as native code handed this block would); see
 * {@link BlindZoo.Entry#reDeriveHazard()}.
 */
public final class ZeroedFromJavaArrays extends HeapLending {
    private static final long SMALL = 1024;

    /** Creates it over {@code system}. */
    public ZeroedFromJavaArrays() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator native blocks come from */
    public ZeroedFromJavaArrays(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        if (layout.size() > 0 && layout.size() <= SMALL && layout.alignment() <= HEAP_ALIGNMENT) {
            return onHeap(layout); // the bug: heap memory
        }
        return super.allocateZeroed(layout);
    }
}
