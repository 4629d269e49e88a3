package org.allocator4j.compare.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BlockPatternTest {
    @Property
    void check_afterFill_findsNothing(@ForAll @IntRange(min = 0, max = 5000) int size, @ForAll long serial) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(Math.max(1, size)).asSlice(0, size);
            long value = BlockPattern.value(serial);
            BlockPattern.fill(block, value);
            assertEquals(-1, BlockPattern.check(block, size, value));
            for (int i = 0; i < size; i++) {
                assertEquals(BlockPattern.expected(value, i), block.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }

    @Property
    void check_oneChangedByte_findsItsOffset(@ForAll @IntRange(min = 1, max = 5000) int size,
                                             @ForAll @IntRange(min = 0, max = 4999) int at, @ForAll long serial) {
        int offset = at % size;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(size);
            long value = BlockPattern.value(serial);
            BlockPattern.fill(block, value);
            block.set(ValueLayout.JAVA_BYTE, offset, (byte) ~block.get(ValueLayout.JAVA_BYTE, offset));
            assertEquals(offset, BlockPattern.check(block, size, value));
        }
    }

    @Property
    void value_neighbouringSerials_differ(@ForAll long serial) {
        assertNotEquals(BlockPattern.value(serial), BlockPattern.value(serial + 1));
    }
}
