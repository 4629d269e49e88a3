package org.allocator4j.compare.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.allocator4j.compare.Progress;
import org.allocator4j.compare.footprint.FootprintProbe;
import org.allocator4j.compare.footprint.GlibcMalloc;
import org.allocator4j.compare.input.SyntheticWorkload;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.strategy.Strategy;

class ReplayerTest {
    private final Arena arena = Arena.ofConfined();
    private final Replayer replayer = new Replayer(50, true, Progress.silent());

    @AfterEach
    void closeArena() {
        arena.close();
    }

    /** Bump allocation in one confined segment; a subclass breaks it. Never frees, never crashes the JVM. */
    private class BumpInArena implements GlobalAllocator {
        final MemorySegment space = arena.allocate(64 << 20, 4096);
        long offset;

        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            long start = (offset + layout.alignment() - 1) & -layout.alignment();
            if (start + layout.size() > space.byteSize()) {
                throw new AllocationException(name(), layout, "arena of " + space.byteSize() + " bytes is full");
            }
            offset = start + advance(layout.size());
            return space.asSlice(start, layout.size());
        }

        long advance(long size) {
            return size;
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
        }

        @Override
        public String name() {
            return "bump-in-arena";
        }
    }

    private ReplayResult replay(Trace trace, GlobalAllocator allocator) {
        return replayer.replay(trace, Strategy.of(allocator), trace.length(), TraceSummary.of(trace).peakEvent());
    }

    @Test
    void replay_correctAllocator_isIntact() {
        Trace trace = SyntheticWorkload.FRAGMENTATION.trace(1, 1);
        ReplayResult result = replay(trace, new BumpInArena());
        assertTrue(result.intact(), result.problems().toString());
        assertEquals(trace.length(), result.events());
        assertEquals(TraceSummary.of(trace).peakLiveBytes(), result.peakLiveBytes());
        assertEquals(0, result.failures());
    }

    @Test
    void replay_systemOnEveryWorkload_isIntactWithFootprint() {
        for (SyntheticWorkload workload : SyntheticWorkload.values()) {
            Trace trace = workload.trace(3, 1);
            Strategy system = new Strategy("system", "built-in", GlobalAllocator::system,
                    GlibcMalloc.available() ? GlibcMalloc.heldFromOs() : FootprintProbe.NONE);
            ReplayResult result = replayer.replay(trace, system, trace.length(), -1);
            assertTrue(result.intact(), workload + ": " + result.problems());
            assertEquals(0, result.unknownFrees() + result.unknownReallocs() + result.failures());
            assertTrue(result.sampleEvents().length >= 2, "samples at the start and the end at least");
        }
    }

    @Test
    void replay_allocatorOverlappingBlocks_isCaughtAsCorruption() {
        BumpInArena overlapping = new BumpInArena() {
            @Override
            long advance(long size) {
                return size / 2; // the next block starts inside this one
            }
        };
        Trace trace = Trace.builder("overlap").alloc(1, 64, 8).alloc(2, 64, 8).free(1).free(2).build();
        ReplayResult result = replay(trace, overlapping);
        assertEquals(1, result.corruptBlocks());
        assertTrue(result.problems().getFirst().startsWith("block id=1 (size=64, alignment=8) is corrupt before free: "
                + "byte at offset=32"), result.problems().getFirst());
    }

    @Test
    void replay_reallocThatDropsBytes_isCaughtAsCorruption() {
        BumpInArena dropping = new BumpInArena() {
            @Override
            public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
                return allocate(Layout.of(newSize, layout.alignment())); // forgets to copy
            }
        };
        Trace trace = Trace.builder("realloc").alloc(1, 100, 16).realloc(1, 200).free(1).build();
        ReplayResult result = replay(trace, dropping);
        assertEquals(1, result.corruptBlocks());
        assertTrue(result.problems().getFirst().contains("corrupt after realloc from size=100 to newSize=200"),
                result.problems().getFirst());
        assertTrue(!result.intact());
    }

    @Test
    void replay_wrongSizeOrAlignment_isAContractError() {
        BumpInArena misaligned = new BumpInArena() {
            @Override
            public MemorySegment allocate(Layout layout) {
                return super.allocate(Layout.of(layout.size() + 1, 1)).asSlice(1); // off by one byte
            }
        };
        ReplayResult result = replay(Trace.builder("t").alloc(1, 64, 64).free(1).build(), misaligned);
        assertEquals(1, result.contractErrors());
    }

    @Test
    void replay_freesOfUnknownIdsAndReallocsOfFreedOnes_areCountedNotFatal() {
        Trace trace = Trace.builder("anomalies")
                .free(7)                 // never allocated
                .alloc(1, 32, 16).free(1)
                .free(1)                 // double free in the trace
                .realloc(1, 64)          // realloc of a freed block: allocated
                .alloc(2, 8, 8)          // left live at the end
                .build();
        ReplayResult result = replay(trace, new BumpInArena());
        assertEquals(2, result.unknownFrees());
        assertEquals(1, result.unknownReallocs());
        assertEquals(2, result.liveAtEnd());
        assertTrue(result.intact());
        TraceSummary summary = TraceSummary.of(trace);
        assertEquals(2, summary.unknownFrees());
        assertEquals(1, summary.unknownReallocs());
    }

    @Test
    void replay_allocationFailures_areCountedAndTheReplayGoesOn() {
        BumpInArena small = new BumpInArena() {
            @Override
            public MemorySegment allocate(Layout layout) {
                if (layout.size() > 1000) {
                    throw new AllocationException(name(), layout, "too big for this test");
                }
                return super.allocate(layout);
            }
        };
        Trace trace = Trace.builder("t").alloc(1, 5000, 16).alloc(2, 10, 16).free(1).free(2).build();
        ReplayResult result = replay(trace, small);
        assertEquals(1, result.failures());
        assertEquals(0, result.unknownFrees(), "the free of a failed allocation is not an unknown free");
        assertNull(result.aborted());
        assertEquals(10, result.peakLiveBytes());
    }

    @Test
    void replay_allocatorThrowingSomethingElse_isAbortedWithTheEvent() {
        BumpInArena broken = new BumpInArena() {
            @Override
            public void deallocate(MemorySegment block, Layout layout) {
                if (layout.size() == 10) {
                    throw new IllegalStateException("boom");
                }
            }
        };
        ReplayResult result = replay(Trace.builder("t").alloc(1, 10, 16).free(1).alloc(2, 20, 16).build(), broken);
        assertNotNull(result.aborted());
        assertEquals("at event 1 (free 1): java.lang.IllegalStateException: boom", result.aborted());
        assertEquals(1, result.events());
        assertTrue(!result.intact());
    }

    @Test
    void replay_allocatorFailingItsWarmUp_isAbortedBeforeTheFirstEvent() {
        BumpInArena broken = new BumpInArena() {
            @Override
            public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
                throw new UnsupportedOperationException("no realloc");
            }
        };
        ReplayResult result = replay(Trace.builder("t").alloc(1, 10, 16).free(1).build(), broken);
        assertEquals("in the warm-up (allocate 64 bytes, reallocate to 96, free): "
                + "java.lang.UnsupportedOperationException: no realloc", result.aborted());
        assertEquals(0, result.events());
    }

    /** Any trace, anomalies included, replays intact on system, with the counts the summary predicts. */
    @Property(tries = 30)
    void replay_anyTraceOnSystem_isIntactWithThePredictedCounts(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Trace.Builder builder = Trace.builder("random");
        for (int i = 0; i < 500; i++) {
            long id = random.nextLong(40);
            switch (random.nextInt(3)) {
                case 0 -> builder.alloc(id, random.nextLong(0, 3000), 1L << random.nextInt(8));
                case 1 -> builder.free(id);
                default -> builder.realloc(id, random.nextLong(0, 5000));
            }
        }
        Trace trace = builder.build();
        TraceSummary summary = TraceSummary.of(trace);
        ReplayResult result = new Replayer(20, true, Progress.silent()).replay(trace,
                Strategy.of(GlobalAllocator.system()), trace.length(), summary.peakEvent());
        assertTrue(result.intact(), result.problems().toString());
        assertEquals(summary.unknownFrees(), result.unknownFrees());
        assertEquals(summary.unknownReallocs(), result.unknownReallocs());
        assertEquals(summary.liveAtEnd(), result.liveAtEnd());
        assertEquals(summary.peakLiveBytes(), result.peakLiveBytes());
    }

    @Test
    void replay_withoutVerify_doesNotSeeCorruption() {
        BumpInArena overlapping = new BumpInArena() {
            @Override
            long advance(long size) {
                return 0;
            }
        };
        Trace trace = Trace.builder("t").alloc(1, 64, 8).alloc(2, 64, 8).free(1).free(2).build();
        ReplayResult result = new Replayer(10, false, Progress.silent()).replay(trace, Strategy.of(overlapping),
                trace.length(), -1);
        assertEquals(0, result.corruptBlocks());
    }
}
