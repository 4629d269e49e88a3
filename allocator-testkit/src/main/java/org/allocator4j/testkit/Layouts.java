package org.allocator4j.testkit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import org.allocator4j.api.Layout;

/**
 * Layouts for the contract's properties, within what the allocator under test promises: sizes 0 to
 * 1 MiB skewed to small ones, alignments 1 to 4096 and beyond (up to the allocator's maximum), a size
 * smaller than the alignment included. jqwik shrinks both towards 1.
 */
final class Layouts {
    /** The largest size the properties ask for (unless the allocator promises less). */
    static final long MAX_SIZE = 1L << 20;
    /** The largest alignment the properties ask for (unless the allocator promises less). */
    static final long MAX_ALIGNMENT = 1L << 16;

    private Layouts() {
    }

    static Arbitrary<Long> sizes(Capabilities capabilities) {
        long max = Math.min(MAX_SIZE, capabilities.maxSize());
        return Arbitraries.frequencyOf(
                Tuple.of(45, Arbitraries.longs().between(0, Math.min(64, max))),
                Tuple.of(30, Arbitraries.longs().between(0, Math.min(4096, max))),
                Tuple.of(15, Arbitraries.longs().between(0, Math.min(65536, max))),
                Tuple.of(10, Arbitraries.longs().between(0, max)));
    }

    static Arbitrary<Long> nonZeroSizes(Capabilities capabilities) {
        return sizes(capabilities).map(size -> Math.max(1, size));
    }

    static Arbitrary<Long> alignments(Capabilities capabilities) {
        int maxShift = 63 - Long.numberOfLeadingZeros(Math.min(MAX_ALIGNMENT, capabilities.maxAlignment()));
        return Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.integers().between(0, Math.min(6, maxShift))),
                Tuple.of(30, Arbitraries.integers().between(0, Math.min(12, maxShift))),
                Tuple.of(10, Arbitraries.integers().between(0, maxShift)))
                .map(shift -> 1L << shift);
    }

    static Arbitrary<Layout> any(Capabilities capabilities) {
        return Combinators.combine(sizes(capabilities), alignments(capabilities)).as(Layout::of);
    }

    static Arbitrary<Layout> nonZero(Capabilities capabilities) {
        return Combinators.combine(nonZeroSizes(capabilities), alignments(capabilities)).as(Layout::of);
    }

    /** Requests no allocator can meet: sizes from 2^56 bytes up to the largest valid layout. */
    static Arbitrary<Layout> impossible() {
        return Arbitraries.integers().between(0, 12).flatMap(shift -> {
            long alignment = 1L << shift;
            return Arbitraries.longs().between(1L << 56, Long.MAX_VALUE - (alignment - 1))
                    .map(size -> Layout.of(size, alignment));
        });
    }
}
