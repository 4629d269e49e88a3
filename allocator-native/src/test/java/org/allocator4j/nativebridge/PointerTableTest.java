package org.allocator4j.nativebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.allocator4j.api.Layout;

/**
 * The pointer table against a {@link HashMap} model: any sequence of puts and removes of 16-aligned
 * addresses (few distinct ones, so probe runs collide, wrap around and are cut by deletions) leaves the
 * same entries, counts and bytes.
 */
class PointerTableTest {

    /** One step: put {@code address} with a size if absent, else remove it. */
    record Step(long address, long size) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> addresses = Arbitraries.longs().between(1, 300).map(i -> i * 16);
        Arbitrary<Long> sizes = Arbitraries.longs().between(1, PointerTable.MAX_SIZE);
        return Arbitraries.oneOf(addresses.flatMap(a -> sizes.map(s -> new Step(a, s))))
                .list().ofMaxSize(2000);
    }

    @Property
    void putAndRemove_anySequence_agreesWithAMap(@ForAll("steps") List<Step> steps) {
        PointerTable table = new PointerTable();
        Map<Long, Long> model = new HashMap<>();
        long bytes = 0;

        for (Step step : steps) {
            if (model.containsKey(step.address())) {
                long packed = table.remove(step.address());
                long expected = model.remove(step.address());
                assertEquals(expected, packed, "remove " + step.address());
                bytes -= PointerTable.size(expected);
            } else {
                long packed = PointerTable.pack(new Layout(step.size(), 16));
                table.put(step.address(), packed);
                model.put(step.address(), packed);
                bytes += step.size();
            }
        }

        for (long address = 16; address <= 300 * 16; address += 16) {
            assertEquals(model.getOrDefault(address, 0L), table.get(address), "get " + address);
        }
        assertEquals(model.size(), table.liveBlocks());
        assertEquals(bytes, table.liveBytes());
    }

    @Property
    void pack_anyLayout_unpacksToIt(@ForAll("sizes") long size, @ForAll("alignments") long alignment) {
        long packed = PointerTable.pack(new Layout(size, alignment));

        assertEquals(new Layout(size, alignment), PointerTable.unpack(packed));
        assertEquals(size, PointerTable.size(packed));
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.longs().between(1, PointerTable.MAX_SIZE >>> 20);
    }

    @Provide
    Arbitrary<Long> alignments() {
        return Arbitraries.integers().between(0, 20).map(log2 -> 1L << log2);
    }

    @Example
    void remove_absentOrTwice_returnsZero() {
        PointerTable table = new PointerTable();
        table.put(0x1000, PointerTable.pack(new Layout(64, 16)));

        assertEquals(0L, table.remove(0x2000));
        assertEquals(64L, PointerTable.size(table.remove(0x1000)));
        assertEquals(0L, table.remove(0x1000));
        assertEquals(0L, table.liveBlocks());
    }
}
