package org.allocator4j.compare.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LiveBlocksTest {
    /** An operation on the table: 0 put (if absent), 1 remove (if present), 2 update (if present). */
    record Op(int kind, long id, long size) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // Few distinct ids, so that puts, removes and updates meet the same keys and probe chains collide.
        Arbitrary<Long> ids = Arbitraries.oneOf(Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, Long.MAX_VALUE - 1));
        return Combinators.combine(Arbitraries.integers().between(0, 2), ids, Arbitraries.longs().between(0, 1 << 20))
                .as(Op::new).list().ofMaxSize(400);
    }

    @Property
    void operations_anySequence_agreeWithAHashMap(@ForAll("operations") List<Op> ops) {
        LiveBlocks table = new LiveBlocks(2);
        Map<Long, long[]> model = new HashMap<>();
        for (Op op : ops) {
            int slot = table.find(op.id());
            assertEquals(model.containsKey(op.id()), slot >= 0, "find(" + op.id() + ")");
            switch (op.kind()) {
                case 0 -> {
                    if (slot < 0) {
                        table.put(op.id(), op.id() * 16, op.size(), 1L << (op.size() & 7));
                        model.put(op.id(), new long[] {op.id() * 16, op.size(), 1L << (op.size() & 7)});
                    }
                }
                case 1 -> {
                    if (slot >= 0) {
                        table.remove(slot);
                        model.remove(op.id());
                    }
                }
                default -> {
                    if (slot >= 0) {
                        table.update(slot, op.size() * 32, op.size());
                        long[] b = model.get(op.id());
                        b[0] = op.size() * 32;
                        b[1] = op.size();
                    }
                }
            }
        }
        assertEquals(model.size(), table.count());
        assertEquals(model.values().stream().mapToLong(b -> b[1]).sum(), table.bytes());
        for (Map.Entry<Long, long[]> e : model.entrySet()) {
            int slot = table.find(e.getKey());
            assertTrue(slot >= 0, "id=" + e.getKey() + " is live");
            assertEquals(e.getKey(), table.id(slot));
            assertEquals(e.getValue()[0], table.address(slot));
            assertEquals(e.getValue()[1], table.size(slot));
            assertEquals(e.getValue()[2], table.alignment(slot));
        }
        int occupied = 0;
        for (int slot = 0; slot < table.capacity(); slot++) {
            occupied += table.occupied(slot) ? 1 : 0;
        }
        assertEquals(model.size(), occupied);
    }
}
