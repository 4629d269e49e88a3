package org.allocator4j.api;

import java.io.Serializable;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * The size and alignment of a block of memory, as Rust's {@code std::alloc::Layout}.
 *
 * <p>Every {@code Layout} is valid: {@code size >= 0}, {@code alignment} is a power of two {@code >= 1},
 * and {@code size} rounded up to {@code alignment} does not overflow a {@code long}. Those checks run
 * once, in the canonical constructor; every method taking a {@code Layout} may rely on them.
 *
 * @param size      the size in bytes
 * @param alignment the alignment in bytes, a power of two
 */
public record Layout(long size, long alignment) implements Serializable {

    /**
     * Validates a layout.
     *
     * @throws IllegalArgumentException if {@code size < 0}, if {@code alignment} is not a power of two
     *                                  {@code >= 1}, or if {@code size} rounded up to {@code alignment}
     *                                  overflows a {@code long}
     */
    public Layout {
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " is negative; expected size >= 0");
        }
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(
                    "alignment=" + alignment + " is not a power of two >= 1 (size=" + size + ")");
        }
        // Rust's rule, for Java's long: size + (alignment - 1) must not wrap around.
        if (size > Long.MAX_VALUE - (alignment - 1)) {
            throw new IllegalArgumentException("size=" + size + " rounded up to alignment=" + alignment
                    + " overflows a long; expected size <= " + (Long.MAX_VALUE - (alignment - 1)));
        }
    }

    /**
     * {@return a layout of {@code size} bytes aligned to {@code alignment}}
     *
     * @param size      the size in bytes
     * @param alignment the alignment in bytes
     * @throws IllegalArgumentException if the pair is not a valid layout (see {@link Layout})
     */
    public static Layout of(long size, long alignment) {
        return new Layout(size, alignment);
    }

    /**
     * {@return a layout of {@code size} bytes with alignment 1}
     *
     * @param size the size in bytes
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static Layout ofSize(long size) {
        return new Layout(size, 1);
    }

    /**
     * {@return the layout of a {@link MemoryLayout}: its byte size and byte alignment}
     *
     * @param layout a memory layout
     * @throws NullPointerException if {@code layout} is null
     */
    public static Layout of(MemoryLayout layout) {
        return new Layout(layout.byteSize(), layout.byteAlignment());
    }

    /**
     * {@return the layout of {@code count} consecutive elements of {@code element}, as Rust's
     * {@code Layout::array}: each element takes {@code element.padToAlign().size()} bytes}
     *
     * @param element the layout of one element
     * @param count   the number of elements
     * @throws IllegalArgumentException if {@code count < 0} or the total size overflows
     */
    public static Layout array(Layout element, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + " is negative; expected count >= 0");
        }
        long stride = element.padToAlign().size();
        long size;
        try {
            size = Math.multiplyExact(stride, count);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("array of count=" + count + " elements of " + element
                    + " overflows a long", e);
        }
        return new Layout(size, element.alignment());
    }

    /**
     * {@return the layout of {@code count} consecutive elements of a {@link MemoryLayout}}
     *
     * @param element the layout of one element
     * @param count   the number of elements
     * @throws IllegalArgumentException if {@code count < 0} or the total size overflows
     */
    public static Layout array(MemoryLayout element, long count) {
        return array(of(element), count);
    }

    /**
     * {@return the number of padding bytes to put after this layout so that the next byte is aligned
     * to {@code align}, as Rust's {@code Layout::padding_needed_for}}
     *
     * @param align a power of two
     * @throws IllegalArgumentException if {@code align} is not a power of two {@code >= 1}
     */
    public long paddingNeededFor(long align) {
        checkAlignment(align);
        // size <= Long.MAX_VALUE - (alignment - 1) does not cover a larger align: use the overflow-free form.
        return (-size) & (align - 1);
    }

    /**
     * {@return this layout with its size rounded up to a multiple of its alignment, as Rust's
     * {@code Layout::pad_to_align}}; never overflows (the constructor checked it)
     */
    public Layout padToAlign() {
        return new Layout(size + paddingNeededFor(alignment), alignment);
    }

    /**
     * {@return this layout with its alignment raised to at least {@code align}, as Rust's
     * {@code Layout::align_to}}
     *
     * @param align a power of two
     * @throws IllegalArgumentException if {@code align} is not a power of two, or the result overflows
     */
    public Layout alignTo(long align) {
        checkAlignment(align);
        return new Layout(size, Math.max(alignment, align));
    }

    /**
     * Appends {@code next} after this layout, as a field of a C struct (Rust's {@code Layout::extend}).
     *
     * <p>The result's alignment is the larger of the two; the field starts at this layout's size rounded
     * up to {@code next}'s alignment; no trailing padding is added (call {@link #padToAlign()} on the
     * finished struct). For a {@code repr(C)} struct of {@code u64, u32, u16, u32} the offsets are
     * 0, 8, 12, 16.
     *
     * @param next the layout of the next field
     * @return the struct so far and the offset of {@code next} within it
     * @throws IllegalArgumentException if the result overflows
     */
    public Extended extend(Layout next) {
        long pad = paddingNeededFor(next.alignment);
        long offset;
        long newSize;
        try {
            offset = Math.addExact(size, pad);
            newSize = Math.addExact(offset, next.size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("extending " + this + " by " + next + " overflows a long", e);
        }
        return new Extended(new Layout(newSize, Math.max(alignment, next.alignment)), offset);
    }

    /**
     * {@return whether {@code address} is a multiple of this layout's alignment}
     *
     * @param address a native address
     */
    public boolean isAligned(long address) {
        return (address & (alignment - 1)) == 0;
    }

    /**
     * {@return the block every allocator returns for a zero-size request of this layout: a zero-length
     * segment at address {@code alignment()}} It is aligned, not null, and never dereferenced (Rust's
     * {@code NonNull::dangling}); it overlaps nothing, and deallocating it does nothing.
     *
     * @throws IllegalStateException if {@code size() != 0}
     */
    public MemorySegment dangling() {
        if (size != 0) {
            throw new IllegalStateException("dangling() is for zero-size layouts; got " + this);
        }
        return MemorySegment.ofAddress(alignment);
    }

    @Override
    public String toString() {
        return "Layout[size=" + size + ", alignment=" + alignment + "]";
    }

    private static void checkAlignment(long align) {
        if (align <= 0 || (align & (align - 1)) != 0) {
            throw new IllegalArgumentException("align=" + align + " is not a power of two >= 1");
        }
    }

    /**
     * The result of {@link Layout#extend(Layout)}.
     *
     * @param layout the struct with the new field appended
     * @param offset the byte offset of the new field
     */
    public record Extended(Layout layout, long offset) {
    }
}
