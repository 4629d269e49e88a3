package org.allocator4j.compare.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.Progress;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.replay.Replayer;

/** Runs where libjemalloc.so.2 / libmimalloc.so.2 load (jemalloc needs GLIBC_TUNABLES, see NativeAllocator). */
class NativeAllocatorTest {
    private static NativeAllocator load(NativeLibrary library) {
        try {
            return NativeAllocator.load(library);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(NativeLibrary.class)
    void replay_mixedSizesAndAlignments_isIntact(NativeLibrary library) {
        NativeAllocator allocator = load(library);
        SplittableRandom random = new SplittableRandom(library.ordinal());
        Trace.Builder builder = Trace.builder(library.allocatorName);
        for (int i = 0; i < 3000; i++) {
            long id = random.nextLong(200);
            switch (random.nextInt(3)) {
                // sizes below 16 with alignment 16 are the case the plain fast paths do not cover
                case 0 -> builder.alloc(id, random.nextLong(0, random.nextBoolean() ? 16 : 70_000), 1L << random.nextInt(13));
                case 1 -> builder.free(id);
                default -> builder.realloc(id, random.nextLong(0, 40_000));
            }
        }
        Trace trace = builder.build();
        ReplayResult result = new Replayer(10, true, Progress.silent()).replay(trace,
                new Strategy(library.allocatorName, "native", () -> allocator, allocator.footprint()),
                trace.length(), -1);
        assertTrue(result.intact(), result.problems().toString());
        assertTrue(result.peakFootprint() >= 0, "its own statistics are read");
    }

    @ParameterizedTest
    @EnumSource(NativeLibrary.class)
    void allocate_zeroSize_isDanglingAndFreesNothing(NativeLibrary library) {
        NativeAllocator allocator = load(library);
        Layout layout = Layout.of(0, 64);
        MemorySegment block = allocator.allocate(layout);
        assertEquals(64, block.address());
        assertEquals(0, block.byteSize());
        allocator.deallocate(block, layout);
    }
}
