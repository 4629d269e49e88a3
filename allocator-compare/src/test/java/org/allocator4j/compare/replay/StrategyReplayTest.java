package org.allocator4j.compare.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.footprint.FootprintProbe;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.strategy.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyReplayTest {
    private static final int BLOCKS = 500;

    @TempDir
    Path dir;

    /** {@code BLOCKS} allocations of 24..1000 bytes, half reallocated, then every block freed. */
    private Path trace() throws IOException {
        Trace.Builder builder = Trace.builder("test");
        for (int i = 0; i < BLOCKS; i++) {
            builder.alloc(i, 24 + i % 977, 8);
        }
        for (int i = 0; i < BLOCKS; i += 2) {
            builder.realloc(i, 40 + i % 1500);
        }
        for (int i = 0; i < BLOCKS; i++) {
            builder.free(i);
        }
        Path file = dir.resolve("test.a4jt");
        TraceFiles.write(builder.build(), file);
        return file;
    }

    private static Strategy shared(GlobalAllocator allocator) {
        return new Strategy(allocator.name(), "provider", () -> allocator, FootprintProbe.NONE);
    }

    private ReplayResult replay(GlobalAllocator allocator, int runs) throws IOException {
        return Worker.replay(trace(), shared(allocator), runs, 20, true, 0);
    }

    @Test
    void replay_system_isIntactWithEveryRunAndLatencyCounted() throws IOException {
        ReplayResult result = replay(GlobalAllocator.system(), 3);
        assertTrue(result.intact(), result.problems().toString());
        assertEquals(3, result.runNanos().length);
        assertEquals(3, result.loopNanos().length);
        assertEquals(BLOCKS, result.latency().alloc().count());
        assertEquals(BLOCKS, result.latency().free().count());
        assertEquals(BLOCKS / 2, result.latency().realloc().count());
        assertTrue(result.runs().min() > 0, "every run took time");
        assertEquals(result.sampleEvents().length, result.sampleResident().length);
        assertEquals(2 * BLOCKS + BLOCKS / 2, result.sampleEvents()[result.sampleEvents().length - 1]);
    }

    @Test
    void replay_twoStrategies_sampleAtTheSameEvents() throws IOException {
        ReplayResult system = replay(GlobalAllocator.system(), 1);
        ReplayResult watched = replay(new Watching(), 1);
        assertArrayEquals(system.sampleEvents(), watched.sampleEvents());
        assertArrayEquals(system.sampleLive(), watched.sampleLive());
    }

    @Test
    void replay_timedAndLatencyPasses_writeNoBlock() throws IOException {
        Watching watching = new Watching();
        int runs = 4;
        ReplayResult result = replay(watching, runs);
        assertTrue(result.intact(), result.problems().toString());
        // Every pass frees every block; only the checked passes write into them.
        assertEquals((long) (StrategyReplay.CHECKED_PASSES + runs + 1) * BLOCKS, watching.freed.get());
        assertEquals((long) StrategyReplay.CHECKED_PASSES * BLOCKS, watching.written.get());
    }

    @Test
    void replay_overlappingBlocks_areCaughtAsCorrupt() throws IOException {
        ReplayResult result = replay(new Overlapping(), 1);
        assertTrue(result.corruptBlocks() > 0, "a block handed out twice is caught: " + result.problems());
        assertTrue(!result.intact());
    }

    @Test
    void replay_misalignedBlocks_areContractErrors() throws IOException {
        ReplayResult result = replay(new Misaligned(), 1);
        assertTrue(result.contractErrors() > 0, result.problems().toString());
        assertTrue(result.problems().getFirst().contains("aligned to 8"), result.problems().toString());
    }

    @Test
    void replay_emptyTrace_isRejectedNamingIt() throws IOException {
        Path file = dir.resolve("empty.a4jt");
        TraceFiles.write(Trace.builder("empty").build(), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Worker.replay(file, shared(GlobalAllocator.system()), 1, 10, true, 0));
        assertTrue(e.getMessage().contains("has no events"), e.getMessage());
    }

    /** Over system: fills each block with 0x5A when it is allocated, and counts frees of blocks written since. */
    private static final class Watching implements GlobalAllocator {
        final AtomicLong freed = new AtomicLong();
        final AtomicLong written = new AtomicLong();

        @Override
        public MemorySegment allocate(Layout layout) {
            MemorySegment block = GlobalAllocator.system().allocate(layout);
            block.fill((byte) 0x5A);
            return block;
        }

        @Override
        public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
            MemorySegment.copy(block, 0, moved, 0, Math.min(layout.size(), newSize));
            GlobalAllocator.system().deallocate(block, layout);
            return moved;
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            freed.incrementAndGet();
            if (changed(block)) {
                written.incrementAndGet();
            }
            GlobalAllocator.system().deallocate(block, layout);
        }

        private static boolean changed(MemorySegment block) {
            for (long i = 0; i < block.byteSize(); i++) {
                if (block.get(ValueLayout.JAVA_BYTE, i) != 0x5A) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String name() {
            return "watching";
        }
    }

    /** Hands out the same 64 KiB for every block. */
    private static final class Overlapping implements GlobalAllocator {
        private final MemorySegment arena = GlobalAllocator.system().allocate(Layout.of(64 * 1024, 64));

        @Override
        public MemorySegment allocate(Layout layout) {
            return arena.asSlice(0, layout.size());
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            // nothing
        }

        @Override
        public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            return arena.asSlice(0, newSize);
        }

        @Override
        public String name() {
            return "overlapping";
        }
    }

    /** Returns every block one byte past an aligned address. */
    private static final class Misaligned implements GlobalAllocator {
        @Override
        public MemorySegment allocate(Layout layout) {
            return GlobalAllocator.system().allocate(Layout.of(layout.size() + 1, 16)).asSlice(1, layout.size());
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            // leaked: the test's blocks are few
        }

        @Override
        public String name() {
            return "misaligned";
        }
    }
}
