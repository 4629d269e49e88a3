package org.allocator4j.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import org.allocator4j.api.Layout;

/**
 * Layouts for the contract's properties, within what the allocator under test declares. Sizes are skewed
 * to small ones (up to 1 MiB for the properties that keep many blocks live, up to the declared
 * {@link Capabilities#maxSize()}, sparsely, for those that take one); alignments reach the declared
 * {@link Capabilities#maxAlignment()}, sparsely past 64 KiB. Size and alignment are drawn together, with the
 * shapes allocators get wrong weighted: size equal to the alignment, a multiple of it, one byte off it,
 * and a power-of-two grid of both. The edges of every declared range are not left to chance:
 * {@link #edges(Capabilities)} lists them for a check that runs them all. jqwik shrinks towards 1.
 */
final class Layouts {
    /** The largest size the many-block properties ask for (unless the allocator promises less). */
    static final long MAX_SIZE = 1L << 20;
    /** Below this alignment the generators are dense; above it, up to the declared maximum, sparse. */
    static final long DENSE_ALIGNMENT = 1L << 16;
    /** The largest size of the power-of-two grid check: 4 MiB, a few pages of huge ones. */
    static final long GRID_MAX_SIZE = 1L << 22;

    private Layouts() {
    }

    /** {@return sizes 0..min(1 MiB, maxSize), skewed to small} */
    static Arbitrary<Long> sizes(Capabilities capabilities) {
        long max = Math.min(MAX_SIZE, capabilities.maxSize());
        return Arbitraries.frequencyOf(
                Tuple.of(45, Arbitraries.longs().between(0, Math.min(64, max))),
                Tuple.of(30, Arbitraries.longs().between(0, Math.min(4096, max))),
                Tuple.of(15, Arbitraries.longs().between(0, Math.min(65536, max))),
                Tuple.of(10, Arbitraries.longs().between(0, max)));
    }

    /**
     * {@return as {@link #sizes}, and in 1 of 100 draws (1 of 1000 at the deep level) a size up to the
     * declared maximum, log-uniform}
     */
    static Arbitrary<Long> declaredSizes(Capabilities capabilities) {
        long max = capabilities.maxSize();
        if (max <= MAX_SIZE) {
            return sizes(capabilities);
        }
        int low = 63 - Long.numberOfLeadingZeros(MAX_SIZE);
        int high = 63 - Long.numberOfLeadingZeros(max);
        Arbitrary<Long> large = Arbitraries.integers().between(low, high).flatMap(shift ->
                Arbitraries.longs().between(1L << shift, Math.min(max, (1L << shift) * 2 - 1)));
        // 1 in 100 draws at the default level's 100 tries, 1 in 1000 at the deep level's 10,000: about one
        // such block per run either way, the edges check asking for the largest in every run.
        int others = TestLevel.current() == TestLevel.DEEP ? 999 : 99;
        return Arbitraries.frequencyOf(Tuple.of(others, sizes(capabilities)), Tuple.of(1, large));
    }

    static Arbitrary<Long> alignments(Capabilities capabilities) {
        int maxShift = shift(capabilities.maxAlignment());
        int denseShift = Math.min(shift(DENSE_ALIGNMENT), maxShift);
        Arbitrary<Integer> shifts = Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.integers().between(0, Math.min(6, maxShift))),
                Tuple.of(30, Arbitraries.integers().between(0, Math.min(12, maxShift))),
                Tuple.of(7, Arbitraries.integers().between(0, denseShift)),
                Tuple.of(3, Arbitraries.integers().between(denseShift, maxShift)));
        return shifts.map(shift -> 1L << shift);
    }

    /** {@return layouts of {@link #sizes} and {@link #alignments}, the risky shapes weighted} */
    static Arbitrary<Layout> any(Capabilities capabilities) {
        return shaped(sizes(capabilities), capabilities, Math.min(MAX_SIZE, capabilities.maxSize()));
    }

    /** {@return as {@link #any}, with sizes up to the declared maximum} */
    static Arbitrary<Layout> declared(Capabilities capabilities) {
        return shaped(declaredSizes(capabilities), capabilities, capabilities.maxSize());
    }

    static Arbitrary<Layout> nonZero(Capabilities capabilities) {
        return any(capabilities).map(layout -> layout.size() > 0 ? layout : Layout.of(1, layout.alignment()));
    }

    private static Arbitrary<Layout> shaped(Arbitrary<Long> sizes, Capabilities capabilities, long maxSize) {
        Arbitrary<Long> alignments = alignments(capabilities);
        int maxSizeShift = shift(maxSize);
        return Arbitraries.frequencyOf(
                Tuple.of(50, Combinators.combine(sizes, alignments).as(Layout::of)),
                // size == alignment: where "round up to the alignment" and "size class of the size" meet
                Tuple.of(15, alignments.map(alignment -> Layout.of(Math.min(alignment, maxSize), alignment))),
                // a multiple of the alignment
                Tuple.of(10, Combinators.combine(alignments, Arbitraries.integers().between(2, 8))
                        .as((alignment, k) -> Layout.of(Math.min(alignment * k, maxSize), alignment))),
                // one byte off the alignment
                Tuple.of(5, Combinators.combine(alignments, Arbitraries.of(-1L, 1L))
                        .as((alignment, off) -> Layout.of(Math.max(0, Math.min(alignment + off, maxSize)), alignment))),
                // the power-of-two grid
                Tuple.of(20, Combinators.combine(Arbitraries.integers().between(0, maxSizeShift), alignments)
                        .as((shift, alignment) -> Layout.of(1L << shift, alignment))));
    }

    /**
     * {@return the edges of the declared ranges, every one of which a check allocates in every run} The
     * largest size at the smallest and the largest alignment, the largest alignment with the smallest
     * sizes, with a size equal to it and one byte more; one byte under the largest size.
     */
    static List<Layout> edges(Capabilities capabilities) {
        long maxSize = capabilities.maxSize();
        long maxAlignment = capabilities.maxAlignment();
        Set<Layout> edges = new LinkedHashSet<>();
        edges.add(Layout.of(1, 1));
        edges.add(Layout.of(maxSize, 1));
        edges.add(Layout.of(Math.max(1, maxSize - 1), 1));
        edges.add(Layout.of(maxSize, maxAlignment));
        edges.add(Layout.of(0, maxAlignment));
        edges.add(Layout.of(1, maxAlignment));
        edges.add(Layout.of(Math.min(maxAlignment, maxSize), maxAlignment));
        edges.add(Layout.of(Math.min(maxAlignment + 1, maxSize), maxAlignment));
        edges.removeIf(layout -> layout.size() < 0);
        return new ArrayList<>(edges);
    }

    /**
     * {@return the power-of-two grid: every size 2^i up to min(4 MiB, maxSize) with every alignment 2^j
     * up to maxAlignment, plus sizes one byte either side of and three times the alignment}
     */
    static List<Layout> grid(Capabilities capabilities, long alignment) {
        long maxSize = Math.min(GRID_MAX_SIZE, capabilities.maxSize());
        List<Layout> grid = new ArrayList<>();
        for (long size = 1; size <= maxSize; size <<= 1) {
            grid.add(Layout.of(size, alignment));
        }
        for (long size : new long[] {alignment - 1, alignment + 1, 3 * alignment}) {
            if (size > 0 && size <= maxSize) {
                grid.add(Layout.of(size, alignment));
            }
        }
        return grid;
    }

    /** {@return every alignment 2^j up to the declared maximum} */
    static List<Long> allAlignments(Capabilities capabilities) {
        List<Long> alignments = new ArrayList<>();
        for (long alignment = 1; alignment <= capabilities.maxAlignment(); alignment <<= 1) {
            alignments.add(alignment);
        }
        return alignments;
    }

    /** Requests no allocator can meet: sizes from 2^56 bytes up to the largest valid layout. */
    static Arbitrary<Layout> impossible() {
        return Arbitraries.integers().between(0, 12).flatMap(shift -> {
            long alignment = 1L << shift;
            return Arbitraries.longs().between(1L << 56, Long.MAX_VALUE - (alignment - 1))
                    .map(size -> Layout.of(size, alignment));
        });
    }

    private static int shift(long powerOfTwoOrMore) {
        return 63 - Long.numberOfLeadingZeros(powerOfTwoOrMore);
    }
}
