package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlabAllocatorTest {
    private static final SlabConfig CONFIG = new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 60_000);

    private final List<SlabAllocator> created = new ArrayList<>();

    private SlabAllocator newAllocator(SlabConfig config) {
        SlabAllocator allocator = SlabAllocator.create(config);
        created.add(allocator);
        return allocator;
    }

    @AfterEach
    void closeAll() {
        created.forEach(SlabAllocator::close);
    }

    private record Block(MemorySegment segment, Layout layout, byte tag) {
    }

    @Test
    void allocate_everyClassBoundary_exactSizeAlignedAndWritable() {
        SlabAllocator slab = newAllocator(CONFIG);
        List<Block> live = new ArrayList<>();
        byte tag = 1;
        for (int c = 0; c < SizeClass.COUNT; c++) {
            int classSize = SizeClass.size(c);
            for (long size : new long[] {classSize - 1, classSize, classSize + 1}) {
                Layout layout = Layout.of(size, 8);
                MemorySegment block = slab.allocate(layout);
                assertEquals(size, block.byteSize(), "size of " + layout);
                assertTrue(layout.isAligned(block.address()), "alignment of " + layout);
                block.fill(tag);
                live.add(new Block(block, layout, tag++));
            }
        }
        assertNoOverlap(live);
        for (Block b : live) {
            assertFilled(b);
            slab.deallocate(b.segment, b.layout);
        }
    }

    @Test
    void allocate_alignmentsAcrossClasses_honoured() {
        SlabAllocator slab = newAllocator(CONFIG);
        List<Block> live = new ArrayList<>();
        for (long alignment = 1; alignment <= 65536; alignment <<= 1) {
            for (long size : new long[] {1, 17, 100, 1000, 5000, 40_000}) {
                Layout layout = Layout.of(size, alignment);
                MemorySegment block = slab.allocate(layout);
                assertEquals(0, block.address() % alignment, "alignment of " + layout);
                assertEquals(size, block.byteSize());
                block.fill((byte) 7);
                live.add(new Block(block, layout, (byte) 7));
            }
        }
        assertNoOverlap(live);
        live.forEach(b -> slab.deallocate(b.segment, b.layout));
    }

    @Test
    void allocate_zeroSize_returnsDanglingAndDeallocateDoesNothing() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(0, 32);
        MemorySegment block = slab.allocate(layout);
        assertEquals(0, block.byteSize());
        assertEquals(32, block.address());
        slab.deallocate(block, layout);
        assertEquals(0, slab.statistics().retainedBytes());
    }

    @Test
    void allocate_afterFree_reusesCachedBlock() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(48, 16);
        MemorySegment first = slab.allocate(layout);
        slab.deallocate(first, layout);
        MemorySegment second = slab.allocate(layout);
        assertEquals(first.address(), second.address());
        slab.deallocate(second, layout);
    }

    @Test
    void allocate_large_goesToParentAndCountsInStatistics() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(100_000, 64);
        MemorySegment block = slab.allocate(layout);
        block.fill((byte) 3);
        SlabStatistics stats = slab.statistics();
        assertEquals(100_000, stats.largeBytes());
        assertEquals(100_000, stats.inUseBytes());
        slab.deallocate(block, layout);
        assertEquals(0, slab.statistics().largeBytes());
    }

    /** A parent that fails while {@code failing} is set: the seam where the parent runs out of memory. */
    private static final class FailingParent implements GlobalAllocator {
        volatile boolean failing = true;

        @Override
        public MemorySegment allocate(Layout layout) {
            if (failing) {
                throw new AllocationException(name(), layout, "test: exhausted");
            }
            return GlobalAllocator.system().allocate(layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            GlobalAllocator.system().deallocate(block, layout);
        }

        @Override
        public String name() {
            return "failing";
        }
    }

    @Test
    void allocate_parentFailsForSlab_throwsNamingSlabAndStaysUsable() {
        FailingParent parent = new FailingParent();
        SlabAllocator slab = SlabAllocator.create(CONFIG, parent);
        created.add(slab);
        AllocationException e = assertThrows(AllocationException.class, () -> slab.allocate(Layout.of(64, 8)));
        assertEquals("slab", e.allocatorName());
        assertEquals(Layout.of(64, 8), e.layout());
        assertTrue(e.getMessage().contains("failing"), e.getMessage());
        AllocationException large = assertThrows(AllocationException.class,
                () -> slab.allocate(Layout.of(1 << 20, 8)));
        assertEquals("slab", large.allocatorName());

        parent.failing = false;
        MemorySegment block = slab.allocate(Layout.of(64, 8));
        block.fill((byte) 1);
        slab.deallocate(block, Layout.of(64, 8));
        assertEquals(0, slab.statistics().inUseBytes());
    }

    @Test
    void reallocate_withinClass_keepsAddressAndContents() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(100, 8);
        MemorySegment block = slab.allocate(layout);
        block.fill((byte) 9);
        MemorySegment grown = slab.reallocate(block, layout, 110);
        assertEquals(block.address(), grown.address());
        assertEquals(110, grown.byteSize());
        MemorySegment moved = slab.reallocate(grown, Layout.of(110, 8), 5000);
        assertNotEquals(block.address(), moved.address());
        for (int i = 0; i < 100; i++) {
            assertEquals(9, moved.get(ValueLayout.JAVA_BYTE, i));
        }
        MemorySegment gone = slab.reallocate(moved, Layout.of(5000, 8), 0);
        assertEquals(0, gone.byteSize());
    }

    @Test
    void trim_afterBatchFreed_returnsEverySlab() {
        SlabAllocator slab = newAllocator(CONFIG);
        List<Block> live = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Layout layout = Layout.of(16 + (i * 31) % 497, 8);
            live.add(new Block(slab.allocate(layout), layout, (byte) 0));
        }
        SlabStatistics full = slab.statistics();
        assertTrue(full.retainedBytes() >= full.inUseBytes());
        assertTrue(full.inUseBytes() > 20_000 * 16L, "in use counts the blocks: " + full);
        live.forEach(b -> slab.deallocate(b.segment, b.layout));
        slab.trim();
        SlabStatistics trimmed = slab.statistics();
        assertEquals(0, trimmed.retainedBytes(), "every slab is back: " + trimmed);
        assertEquals(0, trimmed.inUseBytes());
        assertEquals(0, trimmed.fragmentation());
    }

    @Test
    void trim_withLiveBlocks_keepsOnlyTheirSlabs() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(64, 8);
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            blocks.add(slab.allocate(layout));
        }
        MemorySegment kept = blocks.remove(0);
        kept.fill((byte) 5);
        blocks.forEach(b -> slab.deallocate(b, layout));
        slab.trim();
        SlabStatistics stats = slab.statistics();
        assertEquals(64 * 1024, stats.retainedBytes(), "one slab left: " + stats);
        assertEquals(64, stats.inUseBytes());
        for (int i = 0; i < 64; i++) {
            assertEquals(5, kept.get(ValueLayout.JAVA_BYTE, i));
        }
        slab.deallocate(kept, layout);
    }

    @Test
    void decay_zero_emptySlabsGoBackOnLaterSlowPathsWithoutTrim() throws InterruptedException {
        SlabAllocator slab = newAllocator(new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 0));
        Layout layout = Layout.of(64, 8);
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            blocks.add(slab.allocate(layout));
        }
        long full = slab.statistics().retainedBytes();
        assertTrue(full >= 39 * 64 * 1024L, "retained=" + full);
        blocks.forEach(b -> slab.deallocate(b, layout));
        // The allocator-wide decay sweep runs at most every 10 ms (whatever the decay): let one be due.
        Thread.sleep(20);
        Layout other = Layout.of(1024, 8);
        List<MemorySegment> others = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // several refills of another class: its slow paths run the decay
            others.add(slab.allocate(other));
        }
        long after = slab.statistics().retainedBytes();
        // Class 1024's 4 slabs for 200 blocks, and at most the few slabs of class 64 whose blocks sat in
        // the depot (given back by the same decay, released by the next one, at least 10 ms later).
        assertTrue(after <= 4 * 64 * 1024L + 3 * 64 * 1024L, "retained=" + after + " after the decay, was " + full);
        others.forEach(b -> slab.deallocate(b, other));
    }

    @Test
    void retained_steadyAllocFreeLoop_staysBounded() {
        SlabAllocator slab = newAllocator(new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 0));
        List<Block> window = new ArrayList<>();
        long maxRetained = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 500; i++) {
                Layout layout = Layout.of(16 + (round * 7 + i * 13) % 1000, 8);
                window.add(new Block(slab.allocate(layout), layout, (byte) 0));
            }
            while (window.size() > 1000) {
                Block b = window.remove((round * 31) % window.size());
                slab.deallocate(b.segment, b.layout);
            }
            maxRetained = Math.max(maxRetained, slab.statistics().retainedBytes());
        }
        // 1000 live blocks of at most 1 KiB, spread over 27 classes: a slab or two per class, caches included.
        assertTrue(maxRetained <= 27 * 3 * 64 * 1024L, "retained=" + maxRetained);
        window.forEach(b -> slab.deallocate(b.segment, b.layout));
    }

    @Test
    void deadThread_blocksInItsCache_comeBackOnTrim() throws InterruptedException {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(256, 8);
        Thread worker = new Thread(() -> {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                blocks.add(slab.allocate(layout));
            }
            blocks.forEach(b -> slab.deallocate(b, layout)); // all stay in this thread's cache
        });
        worker.start();
        worker.join();
        SlabStatistics before = slab.statistics(); // scans for dead caches too
        assertEquals(0, before.cachedBytes(), "the dead thread's cache was flushed: " + before);
        slab.trim();
        assertEquals(0, slab.statistics().retainedBytes());
    }

    @Test
    void deadThread_thenTrim_nothingInUseOrCached() throws InterruptedException {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(32, 8);
        Thread worker = new Thread(() -> {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocks.add(slab.allocate(layout));
            }
            blocks.forEach(b -> slab.deallocate(b, layout));
        });
        worker.start();
        worker.join();
        slab.trim();
        SlabStatistics stats = slab.statistics();
        assertEquals(0, stats.inUseBytes());
        assertEquals(0, stats.cachedBytes());
    }

    @Test
    void refill_otherClassWhileOneIsIdle_sweepsTheIdleClassBackToSlabs() {
        SlabAllocator slab = newAllocator(new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 0));
        Layout idle = Layout.of(64, 8);
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(slab.allocate(idle));
        }
        blocks.forEach(b -> slab.deallocate(b, idle));
        assertTrue(cachedOf(slab, 64) >= 10 * 64, "class 64 cached before the sweep");

        MemorySegment other = slab.allocate(Layout.of(1024, 8)); // a refill: the sweep runs (decay 0)
        assertEquals(0, cachedOf(slab, 64), "the idle class went back to its slabs");
        slab.deallocate(other, Layout.of(1024, 8));
    }

    @Test
    void allocate_afterClose_throwsIllegalState() {
        SlabAllocator slab = SlabAllocator.create(CONFIG);
        Layout layout = Layout.of(64, 8);
        slab.deallocate(slab.allocate(layout), layout);
        slab.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> slab.allocate(layout));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void deallocate_foreignBlockChecksOff_reportedWhenBackToSlabsAndNothingElseLost() {
        SlabAllocator slab = newAllocator(CONFIG.withCheckFrees(false));
        Layout layout = Layout.of(64, 8);
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            blocks.add(slab.allocate(layout));
        }
        MemorySegment foreign = GlobalAllocator.system().allocate(layout);
        foreign.fill((byte) 4);
        slab.deallocate(foreign, layout); // misuse, unchecked: undefined, but must not corrupt the slabs
        blocks.forEach(b -> slab.deallocate(b, layout));
        IllegalStateException e = assertThrows(IllegalStateException.class, slab::trim);
        assertTrue(e.getMessage().contains(Long.toHexString(foreign.address())), e.getMessage());
        for (int i = 0; i < 64; i++) {
            assertEquals(4, foreign.get(ValueLayout.JAVA_BYTE, i), "the foreign block was not written");
        }
        GlobalAllocator.system().deallocate(foreign, layout);
        SlabStatistics stats = slab.statistics();
        assertEquals(0, stats.inUseBytes(), stats.toString());
        assertEquals(0, stats.retainedBytes(), "every slab went back all the same: " + stats);
    }

    private static long cachedOf(SlabAllocator slab, int blockSize) {
        return slab.statistics().classes().stream().filter(c -> c.blockSize() == blockSize)
                .mapToLong(c -> c.blocksCached() * blockSize).sum();
    }

    @Test
    void statistics_liveBlocks_countedPerClass() {
        SlabAllocator slab = newAllocator(CONFIG);
        Layout layout = Layout.of(1000, 8); // class 1024
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(slab.allocate(layout));
        }
        SlabStatistics stats = slab.statistics();
        SlabStatistics.ClassStatistics cls = stats.classes().stream()
                .filter(s -> s.blockSize() == 1024).findFirst().orElseThrow();
        assertEquals(10, cls.blocksInUse());
        assertEquals(1, cls.slabs());
        assertEquals(10 * 1024, stats.inUseBytes());
        assertTrue(stats.fragmentation() > 0 && stats.fragmentation() < 1);
        blocks.forEach(b -> slab.deallocate(b, layout));
    }

    @Test
    void provider_slab_createsSlabAllocator() {
        GlobalAllocator allocator = GlobalAllocator.named("slab");
        assertInstanceOf(SlabAllocator.class, allocator);
        assertEquals("slab", allocator.name());
        assertTrue(GlobalAllocator.available().contains("slab"));
        assertSame(SlabProvider.NAME, new SlabProvider().name());
        ((SlabAllocator) allocator).close();
    }

    @Test
    void create_parentNotAligned_failsWithClearMessage() {
        GlobalAllocator parent = mock(GlobalAllocator.class);
        when(parent.name()).thenReturn("odd");
        when(parent.allocate(any(Layout.class))).thenReturn(MemorySegment.ofAddress(0x10010));
        SlabAllocator slab = SlabAllocator.create(CONFIG, parent);
        AllocationException e = assertThrows(AllocationException.class, () -> slab.allocate(Layout.of(16, 1)));
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
    }

    static void assertNoOverlap(List<Block> blocks) {
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort((a, b) -> Long.compareUnsigned(a.segment.address(), b.segment.address()));
        for (int i = 1; i < sorted.size(); i++) {
            MemorySegment prev = sorted.get(i - 1).segment;
            assertTrue(prev.address() + prev.byteSize() <= sorted.get(i).segment.address(),
                    "blocks overlap: " + prev + " and " + sorted.get(i).segment);
        }
    }

    private static void assertFilled(Block b) {
        for (long i = 0; i < b.layout.size(); i++) {
            assertEquals(b.tag, b.segment.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " of " + b.layout);
        }
    }
}
