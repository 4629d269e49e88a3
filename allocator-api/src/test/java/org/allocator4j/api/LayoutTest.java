package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Negative;

class LayoutTest {

    @Provide
    Arbitrary<Long> alignments() {
        return Arbitraries.integers().between(0, 62).map(shift -> 1L << shift);
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return alignments().flatMap(align -> {
            long max = Long.MAX_VALUE - (align - 1);
            return Arbitraries.longs().between(0, max)
                    .edgeCases(e -> java.util.stream.LongStream.of(0, 1, align - 1, align, align + 1, max)
                            .filter(v -> v <= max).forEach(e::add))
                    .map(size -> Layout.of(size, align));
        });
    }

    @Provide
    Arbitrary<Layout> smallLayouts() {
        return Arbitraries.integers().between(0, 12).flatMap(shift -> Arbitraries.longs()
                .between(0, 1 << 20).map(size -> Layout.of(size, 1L << shift)));
    }

    @Property
    void constructor_validValues_keepsThem(@ForAll("layouts") Layout layout) {
        Layout copy = new Layout(layout.size(), layout.alignment());
        assertEquals(layout, copy);
        assertTrue(Long.bitCount(copy.alignment()) == 1);
    }

    @Property
    void constructor_negativeSize_throwsNamingIt(@ForAll @Negative long size) {
        var e = assertThrows(IllegalArgumentException.class, () -> Layout.of(size, 8));
        assertTrue(e.getMessage().contains("size=" + size), e.getMessage());
    }

    @Property
    void constructor_alignmentNotPowerOfTwo_throwsNamingIt(@ForAll long alignment) {
        if (alignment > 0 && Long.bitCount(alignment) == 1) {
            return;
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Layout.of(8, alignment));
        assertTrue(e.getMessage().contains("alignment=" + alignment), e.getMessage());
    }

    @Property
    void constructor_sizeRoundedUpOverflows_throws(@ForAll("alignments") long alignment,
                                                   @ForAll @LongRange(min = 1, max = 1 << 20) long excess) {
        long limit = Long.MAX_VALUE - (alignment - 1);
        if (alignment == 1) {
            return; // every non-negative long is valid with alignment 1
        }
        long size = limit + Math.min(excess, alignment - 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Layout.of(size, alignment));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        Layout.of(limit, alignment); // the largest valid size is accepted
    }

    @Property
    void padToAlign_isSmallestAlignedSizeNotBelow(@ForAll("layouts") Layout layout) {
        Layout padded = layout.padToAlign();
        assertEquals(layout.alignment(), padded.alignment());
        assertEquals(0, padded.size() % layout.alignment());
        assertTrue(padded.size() >= layout.size());
        assertTrue(padded.size() - layout.size() < layout.alignment());
        assertEquals(padded, padded.padToAlign(), "idempotent");
    }

    @Property
    void extend_placesFieldAlignedAfterPrefix(@ForAll("smallLayouts") Layout first,
                                              @ForAll("smallLayouts") Layout next) {
        Layout.Extended extended = first.extend(next);
        long offset = extended.offset();
        assertEquals(0, offset % next.alignment(), "field offset aligned");
        assertTrue(offset >= first.size() && offset - first.size() < next.alignment(), "minimal padding");
        assertEquals(offset + next.size(), extended.layout().size(), "no trailing padding");
        assertEquals(Math.max(first.alignment(), next.alignment()), extended.layout().alignment());
    }

    @Property
    void extend_isAssociativeInSizeAndAlignment(@ForAll("smallLayouts") Layout a, @ForAll("smallLayouts") Layout b,
                                                @ForAll("smallLayouts") Layout c) {
        // (a + b) + c lays c out at the same place as a + (b + c) only up to padding, but the whole
        // struct's alignment is the max of all three either way.
        Layout left = a.extend(b).layout().extend(c).layout();
        assertEquals(Math.max(a.alignment(), Math.max(b.alignment(), c.alignment())), left.alignment());
        assertTrue(left.size() >= a.size() + b.size() + c.size());
    }

    @Example
    void extend_reprC_u64_u32_u16_u32_givesOffsets_0_8_12_16() {
        Layout u64 = Layout.of(8, 8);
        Layout u32 = Layout.of(4, 4);
        Layout u16 = Layout.of(2, 2);
        Layout.Extended s1 = u64.extend(u32);
        Layout.Extended s2 = s1.layout().extend(u16);
        Layout.Extended s3 = s2.layout().extend(u32);
        assertEquals(0, 0 * u64.size());
        assertEquals(8, s1.offset());
        assertEquals(12, s2.offset());
        assertEquals(16, s3.offset());
        assertEquals(Layout.of(24, 8), s3.layout().padToAlign());
        // The JDK agrees: the same struct as a MemoryLayout.
        MemoryLayout jdk = MemoryLayout.structLayout(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_SHORT, MemoryLayout.paddingLayout(2), ValueLayout.JAVA_INT,
                MemoryLayout.paddingLayout(4));
        assertEquals(Layout.of(jdk), s3.layout().padToAlign());
    }

    @Example
    void extend_overflow_throws() {
        Layout huge = Layout.of(Long.MAX_VALUE - 7, 8);
        var e = assertThrows(IllegalArgumentException.class, () -> huge.extend(Layout.of(16, 8)));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    }

    @Property
    void array_sizeIsPaddedStrideTimesCount(@ForAll("smallLayouts") Layout element,
                                            @ForAll @IntRange(min = 0, max = 1000) int count) {
        Layout array = Layout.array(element, count);
        assertEquals(element.padToAlign().size() * count, array.size());
        assertEquals(element.alignment(), array.alignment());
    }

    @Example
    void array_overflowOrNegativeCount_throws() {
        assertThrows(IllegalArgumentException.class, () -> Layout.array(Layout.of(16, 8), Long.MAX_VALUE / 8));
        var e = assertThrows(IllegalArgumentException.class, () -> Layout.array(Layout.of(16, 8), -1));
        assertTrue(e.getMessage().contains("count=-1"), e.getMessage());
    }

    @Example
    void of_memoryLayout_takesByteSizeAndAlignment() {
        assertEquals(Layout.of(8, 8), Layout.of(ValueLayout.JAVA_LONG));
        assertEquals(Layout.of(40, 4), Layout.array(ValueLayout.JAVA_INT, 10));
        assertEquals(Layout.of(12, 4), Layout.of(MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT)));
    }

    @Property
    void paddingNeededFor_makesNextByteAligned(@ForAll("smallLayouts") Layout layout, @ForAll("alignments") long align) {
        long pad = layout.paddingNeededFor(align);
        assertEquals(0, Math.floorMod(layout.size() + pad, align));
        assertTrue(pad >= 0 && pad < align);
    }

    @Property
    void dangling_isAlignedZeroLengthNonNull(@ForAll("alignments") long align) {
        MemorySegment dangling = Layout.of(0, align).dangling();
        assertEquals(0, dangling.byteSize());
        assertEquals(align, dangling.address());
        assertTrue(Layout.of(0, align).isAligned(dangling.address()));
    }

    @Example
    void dangling_nonZeroSize_throws() {
        assertThrows(IllegalStateException.class, () -> Layout.of(1, 8).dangling());
    }
}
