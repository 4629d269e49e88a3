package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Serves tiny requests (up to 16 bytes, alignment up to 8) from the Java heap ("cheaper than a malloc
 * call"): the segment is a {@code MemorySegment.ofArray(long[])}, of exact size and with address 0, not
 * native memory. Passing it to native code, or re-deriving a native segment from its address, does not
 * reach its bytes (address 0 is never readable); all such blocks also share address 0.
 *
 * <p>Shows when: {@code allocate} of {@code 1..16} bytes with {@code alignment <= 8}; visible through
 * {@code isNative()}, {@code address()} (0, the same for every tiny block) or {@code heapBase()}. Larger
 * requests are native and right.
 *
 * <p>Hazard: a checker that turns {@code address()} into a native segment and touches it reads page zero
 * and crashes the JVM (SIGSEGV, as native code handed this block would); see
 * {@link BlindZoo.Entry#reDeriveHazard()}.
 */
public final class TinyBlocksOnHeap extends HeapLending {
    private static final long TINY = 16;

    /** Creates it over {@code system}. */
    public TinyBlocksOnHeap() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator native blocks come from */
    public TinyBlocksOnHeap(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() > 0 && layout.size() <= TINY && layout.alignment() <= HEAP_ALIGNMENT) {
            return onHeap(layout); // the bug: heap memory
        }
        return fromParent(layout);
    }
}
