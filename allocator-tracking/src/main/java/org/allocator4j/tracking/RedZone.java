package org.allocator4j.tracking;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/**
 * The byte layout of a block in checked mode: the caller's block between two red zones, and the
 * patterns painted into the red zones and into freed blocks.
 *
 * <pre>
 * base                       base + front                 base + front + size
 * |  front red zone           |  the caller's block        |  back red zone  |
 * |  front = max(16, align) B |  size B                    |  16 B           |
 *   (last 16..64 B painted)                                  (all painted)
 * </pre>
 *
 * <p>The inner block has the caller's alignment, and {@code front} is a multiple of it, so the caller's
 * block is aligned. Only the {@value #PAINTED} bytes next to the block on each side are painted and
 * checked (the front zone of a 1 MiB-aligned block is 1 MiB long; its far end guards nothing).
 */
final class RedZone {
    /** The back red zone's size, and the least front red zone. */
    static final long MIN_ZONE = 16;
    /** The most bytes painted and checked on each side of a block. */
    static final long PAINTED = 64;
    /** The byte painted into red zones. */
    static final byte ZONE = (byte) 0xFD;
    /** The byte painted into freed blocks. */
    static final byte POISON = (byte) 0xDF;

    private RedZone() {
    }

    /** {@return the front red zone's size for a block of {@code layout}} */
    static long front(Layout layout) {
        return Math.max(MIN_ZONE, layout.alignment());
    }

    /**
     * {@return the layout the inner allocator is asked for}
     *
     * @throws AllocationException if the red zones make the size overflow
     */
    static Layout inner(Layout layout, String allocatorName) {
        try {
            long size = Math.addExact(Math.addExact(front(layout), layout.size()), MIN_ZONE);
            return new Layout(size, layout.alignment());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new AllocationException(allocatorName, layout, "size with red zones (front=" + front(layout)
                    + ", back=" + MIN_ZONE + ") overflows a long", e);
        }
    }

    /** Paints both red zones of {@code base}, an inner block of {@link #inner} for {@code layout}. */
    static void paint(MemorySegment base, Layout layout) {
        long front = front(layout);
        long painted = Math.min(PAINTED, front);
        base.asSlice(front - painted, painted).fill(ZONE);
        base.asSlice(front + layout.size(), MIN_ZONE).fill(ZONE);
    }

    /** {@return the offset from the block's start of the first overwritten red-zone byte, or null if intact} */
    static Long firstDamage(MemorySegment base, Layout layout) {
        long front = front(layout);
        long painted = Math.min(PAINTED, front);
        for (long i = front - painted; i < front; i++) {
            if (base.get(ValueLayout.JAVA_BYTE, i) != ZONE) {
                return i - front;
            }
        }
        long end = front + layout.size();
        for (long i = end; i < end + MIN_ZONE; i++) {
            if (base.get(ValueLayout.JAVA_BYTE, i) != ZONE) {
                return i - front;
            }
        }
        return null;
    }

    /** {@return the offset of the first byte of {@code block} that is not {@link #POISON}, or -1} */
    static long firstUnpoisoned(MemorySegment block) {
        long size = block.byteSize();
        long i = 0;
        for (; i + 8 <= size; i += 8) {
            if (block.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0xDFDFDFDFDFDFDFDFL) {
                break;
            }
        }
        for (; i < size; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != POISON) {
                return i;
            }
        }
        return -1;
    }
}
