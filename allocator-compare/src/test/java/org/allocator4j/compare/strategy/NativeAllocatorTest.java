package org.allocator4j.compare.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.allocator4j.api.Layout;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.replay.Worker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs where libjemalloc.so.2 / libmimalloc.so.2 load (jemalloc needs GLIBC_TUNABLES, see NativeLibrary). */
class NativeAllocatorTest {
    static NativeAllocator load(NativeLibrary library) {
        try {
            return NativeAllocator.load(library);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(NativeLibrary.class)
    void replay_mixedSizesAndAlignments_isIntact(NativeLibrary library, @TempDir Path dir) throws IOException {
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
        Path file = dir.resolve("mixed.a4jt");
        TraceFiles.write(builder.build(), file);
        ReplayResult result = Worker.replay(file,
                new Strategy(library.allocatorName, "native", () -> allocator, allocator.footprint()), 1, 10, true, 0);
        assertTrue(result.intact(), result.problems().toString());
        assertTrue(result.peakOwn() >= 0, "its own statistics are read");
        assertEquals(library.allocatorName, result.strategy());
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

    @ParameterizedTest
    @EnumSource(NativeLibrary.class)
    void version_loadedLibrary_isDottedNumbers(NativeLibrary library) {
        String version = load(library).version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
    }

    @ParameterizedTest
    @EnumSource(NativeLibrary.class)
    void release_afterFreeingMany_keepsTheAllocatorUsable(NativeLibrary library) {
        NativeAllocator allocator = load(library);
        Layout layout = Layout.of(4096, 16);
        MemorySegment[] blocks = new MemorySegment[1000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.allocate(layout);
        }
        for (MemorySegment block : blocks) {
            allocator.deallocate(block, layout);
        }
        allocator.release();
        MemorySegment again = allocator.allocate(layout);
        assertFalse(again.equals(MemorySegment.NULL));
        again.fill((byte) 1);
        allocator.deallocate(again, layout);
    }
}
