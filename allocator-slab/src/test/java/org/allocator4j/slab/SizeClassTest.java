package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SizeClassTest {

    @Test
    void sizes_fourPerDoublingFrom16To32KiB_areJemallocClasses() {
        assertEquals(40, SizeClass.COUNT);
        assertEquals(16, SizeClass.size(0));
        assertEquals(64, SizeClass.size(3));
        assertEquals(80, SizeClass.size(4));
        assertEquals(160, SizeClass.size(8));
        assertEquals(28672, SizeClass.size(SizeClass.COUNT - 2));
        assertEquals(32768, SizeClass.size(SizeClass.COUNT - 1));
        for (int c = 1; c < SizeClass.COUNT; c++) {
            assertTrue(SizeClass.size(c) > SizeClass.size(c - 1), "classes increase at c=" + c);
        }
    }

    @Test
    void of_zeroSize_isNone() {
        assertEquals(SizeClass.NONE, SizeClass.of(0, 1));
        assertEquals(SizeClass.NONE, SizeClass.of(0, 64));
    }

    @Test
    void of_everyClassBoundary_givesThisClassAtSizeAndMinusOneAndNextAtPlusOne() {
        for (int c = 0; c < SizeClass.COUNT; c++) {
            int size = SizeClass.size(c);
            assertEquals(c, SizeClass.of(size, 1), "size=" + size);
            assertEquals(c, SizeClass.of(size - 1, 1), "size=" + (size - 1));
            int expectedNext = c + 1 < SizeClass.COUNT ? c + 1 : SizeClass.NONE;
            assertEquals(expectedNext, SizeClass.of(size + 1, 1), "size=" + (size + 1));
        }
    }

    @Test
    void of_aboveLargestClassOrOverAligned_isNone() {
        assertEquals(SizeClass.NONE, SizeClass.of(SizeClass.MAX_SIZE + 1, 8));
        assertEquals(SizeClass.NONE, SizeClass.of(16, 2 * SizeClass.MAX_SIZE));
        assertEquals(SizeClass.NONE, SizeClass.of(Long.MAX_VALUE, 1));
    }

    @Property
    void of_anySmallRequest_isSmallestClassThatFitsAndIsAligned(
            @ForAll @LongRange(min = 1, max = SizeClass.MAX_SIZE) long size,
            @ForAll @IntRange(min = 0, max = 15) int alignShift) {
        long alignment = 1L << alignShift;
        int c = SizeClass.of(size, alignment);
        assertTrue(c >= 0, "size=" + size + " alignment=" + alignment + " has a class");
        assertTrue(SizeClass.size(c) >= size, "class fits");
        assertEquals(0, SizeClass.size(c) % alignment, "class is a multiple of the alignment");
        assertTrue(SizeClass.alignmentOf(c) >= alignment, "class alignment honours the request");
        for (int smaller = 0; smaller < c; smaller++) {
            assertTrue(SizeClass.size(smaller) < size || SizeClass.size(smaller) % alignment != 0,
                    "no smaller class fits: " + SizeClass.size(smaller));
        }
    }

    @Property
    void of_sizeAbove64_wastesLessThanAQuarterOfTheRequest(
            @ForAll @LongRange(min = 65, max = SizeClass.MAX_SIZE) long size) {
        int c = SizeClass.of(size, 1);
        assertTrue(SizeClass.size(c) - size < size / 4.0, "class " + SizeClass.size(c) + " for size=" + size);
        // internal waste as a share of the class stays under 20%
        assertTrue((SizeClass.size(c) - size) < 0.2 * SizeClass.size(c), "waste for size=" + size);
    }

    @Property
    void of_tableAndFormula_agreeAcrossTheTableLimit(@ForAll @LongRange(min = 1, max = 8192) long size) {
        int c = SizeClass.of(size, 1);
        assertEquals(c, SizeClass.of(size, 2), "alignments up to 16 choose the same class");
        assertEquals(c, SizeClass.of(size, 16));
        assertTrue(c == 0 || SizeClass.size(c - 1) < size, "smallest class for size=" + size);
    }
}
