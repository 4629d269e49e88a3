package org.allocator4j.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link BlockTable} against a {@link HashMap} model. */
class BlockTableTest {
    /**
     * Any sequence of puts, gets and removes, on keys from a small range (collisions, probe chains, backward
     * shifts) and on extreme keys ({@code Long.MIN_VALUE}, the table's empty marker, among them), gives what
     * a {@code HashMap} gives.
     */
    @Property(tries = 200)
    void operations_anySequence_matchTheModel(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3000) int ops) {
        SplittableRandom random = new SplittableRandom(seed);
        BlockTable table = new BlockTable();
        Map<Long, Long> model = new HashMap<>();
        long[] extremes = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 40};
        for (int i = 0; i < ops; i++) {
            long key = random.nextInt(10) == 0 ? extremes[random.nextInt(extremes.length)]
                    : random.nextLong(0, 64) * 16;
            switch (random.nextInt(3)) {
                case 0 -> {
                    long value = random.nextLong(0, Long.MAX_VALUE);
                    Long previous = model.put(key, value);
                    assertEquals(previous == null ? BlockTable.ABSENT : previous, table.put(key, value));
                }
                case 1 -> {
                    Long previous = model.remove(key);
                    assertEquals(previous == null ? BlockTable.ABSENT : previous, table.remove(key));
                }
                default -> {
                    Long value = model.get(key);
                    assertEquals(value == null ? BlockTable.ABSENT : value, table.get(key));
                }
            }
            assertEquals(model.size(), table.size());
        }
        for (Map.Entry<Long, Long> e : model.entrySet()) {
            assertEquals(e.getValue(), table.get(e.getKey()));
        }
    }

    @Test
    void put_negativeValue_throwsNamingIt() {
        assertEquals("value=-2 of key=7 is negative; expected >= 0",
                assertThrows(IllegalArgumentException.class, () -> new BlockTable().put(7, -2)).getMessage());
    }
}
