package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs of kinds {@link BugKind#LEAK} and {@link BugKind#EXHAUSTION_RECOVERY} show under the
 * condition their javadoc gives: a {@link CountingParent} holds what leaked, or the allocator misbehaves
 * after a genuine exhaustion.
 */
class LeakAndExhaustionBugsTest {
    private static final Layout SMALL = Layout.of(32, 8);
    private static final Layout MIB = Layout.of(1 << 20, 16);

    @Test
    void deferredReleaseNeverReused_roundsOf64Frees_parentHoldsMoreEachRound() {
        CountingParent parent = new CountingParent();
        DeferredReleaseNeverReused allocator = new DeferredReleaseNeverReused(parent);
        List<Integer> held = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                blocks.add(allocator.allocate(SMALL));
            }
            blocks.forEach(b -> allocator.deallocate(b, SMALL));
            held.add(parent.liveBlocks());
        }
        assertTrue(held.get(3) > held.get(1) && held.get(1) > held.get(0), "held after each round: " + held);
        allocator.close();
        assertEquals(0, parent.liveBlocks(), "close gives everything back");
    }

    @Test
    void losesEvery32ndFree_64Frees_twoBlocksLeak() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new LosesEvery32ndFree(parent);
        for (int i = 0; i < 64; i++) {
            allocator.deallocate(allocator.allocate(SMALL), SMALL);
        }
        assertEquals(2, parent.liveBlocks());
    }

    @Test
    void failedReallocLeaksRecord_impossibleRealloc_recordLeaks() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new FailedReallocLeaksRecord(parent);
        MemorySegment block = allocator.allocate(SMALL);
        allocator.deallocate(allocator.reallocate(block, SMALL, 64), Layout.of(64, 8));
        assertEquals(0, parent.liveBlocks(), "a successful reallocation leaks nothing");
        MemorySegment again = allocator.allocate(SMALL);
        assertThrows(AllocationException.class, () -> allocator.reallocate(again, SMALL, 1L << 56));
        allocator.deallocate(again, SMALL);
        assertEquals(1, parent.liveBlocks());
        assertEquals(32, parent.liveBytes());
    }

    @Test
    void reallocToZeroLeaks_reallocTo0_blockLeaks() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new ReallocToZeroLeaks(parent);
        MemorySegment gone = allocator.reallocate(allocator.allocate(SMALL), SMALL, 0);
        assertEquals(0, gone.byteSize());
        assertEquals(SMALL.size(), parent.liveBytes());
    }

    @Test
    void shrinkLeaksOldBlock_shrink_oldBlockLeaks() {
        CountingParent parent = new CountingParent();
        GlobalAllocator allocator = new ShrinkLeaksOldBlock(parent);
        Layout big = Layout.of(128, 8);
        allocator.deallocate(allocator.reallocate(allocator.allocate(SMALL), SMALL, 128), big);
        assertEquals(0, parent.liveBytes(), "growing leaks nothing");
        allocator.deallocate(allocator.reallocate(allocator.allocate(big), big, 32), SMALL);
        assertEquals(128, parent.liveBytes());
    }

    @Test
    void refillBatchLeaksOnFailure_parentFailsThirdRequest_twoBlocksLeak() {
        CountingParent parent = new CountingParent(3);
        RefillBatchLeaksOnFailure allocator = new RefillBatchLeaksOnFailure(parent);
        assertThrows(AllocationException.class, () -> allocator.allocate(SMALL));
        allocator.close();
        assertEquals(2, parent.liveBlocks());
    }

    @Test
    void budgetNotRolledBack_afterExhaustionAndFreeingAll_refusesWhatFits() {
        GlobalAllocator allocator = new BudgetNotRolledBack();
        List<MemorySegment> blocks = fill(allocator, 64);
        assertThrows(AllocationException.class, () -> allocator.allocate(MIB));
        blocks.forEach(b -> allocator.deallocate(b, MIB));
        AllocationException refused = assertThrows(AllocationException.class, () -> fill(allocator, 64));
        assertEquals(allocator.name(), refused.allocatorName());
    }

    @Test
    void exhaustionThrowsIllegalState_genuineExhaustion_wrongType() {
        GlobalAllocator allocator = new ExhaustionThrowsIllegalState();
        assertThrows(AllocationException.class, () -> allocator.allocate(Layout.of(Budgeted.CAPACITY + 1, 8)),
                "larger than the budget: right");
        List<MemorySegment> blocks = fill(allocator, 64);
        assertThrows(IllegalStateException.class, () -> allocator.allocate(MIB));
        blocks.forEach(b -> allocator.deallocate(b, MIB));
        blocks = fill(allocator, 64);
        blocks.forEach(b -> allocator.deallocate(b, MIB));
    }

    @Test
    void stickyExhaustedPool_afterExhaustionAndFreeingAll_refusesEverything() {
        StickyExhaustedPool allocator = new StickyExhaustedPool();
        try {
            List<MemorySegment> blocks = fillPool(allocator);
            assertThrows(AllocationException.class, () -> allocator.allocate(SMALL));
            blocks.forEach(b -> allocator.deallocate(b, SMALL));
            assertThrows(AllocationException.class, () -> allocator.allocate(SMALL));
        } finally {
            allocator.close();
        }
    }

    @Test
    void exhaustionResetsCarvePointer_afterExhaustion_handsOutALiveSlot() {
        ExhaustionResetsCarvePointer allocator = new ExhaustionResetsCarvePointer();
        try {
            List<MemorySegment> blocks = fillPool(allocator);
            assertThrows(AllocationException.class, () -> allocator.allocate(SMALL));
            allocator.deallocate(blocks.remove(blocks.size() - 1), SMALL);
            MemorySegment next = allocator.allocate(SMALL);
            assertEquals(blocks.get(0).address(), next.address(), "slot 0 is live and handed out again");
        } finally {
            allocator.close();
        }
    }

    @Test
    void parentFailureNamesParent_parentFails_exceptionNamesParent() {
        GlobalAllocator allocator = new ParentFailureNamesParent(new CountingParent(1));
        AllocationException failure = assertThrows(AllocationException.class, () -> allocator.allocate(SMALL));
        assertNotEquals(allocator.name(), failure.allocatorName());
        AllocationException own = assertThrows(AllocationException.class,
                () -> allocator.allocate(Layout.of(1L << 56, 8)));
        assertEquals(allocator.name(), own.allocatorName(), "an impossible size: right");
    }

    private static List<MemorySegment> fill(GlobalAllocator allocator, int count) {
        List<MemorySegment> blocks = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                blocks.add(allocator.allocate(MIB));
            }
            return blocks;
        } catch (RuntimeException e) {
            blocks.forEach(b -> allocator.deallocate(b, MIB));
            throw e;
        }
    }

    private static List<MemorySegment> fillPool(SlotPool pool) {
        List<MemorySegment> blocks = new ArrayList<>();
        for (int i = 0; i < SlotPool.SLOTS; i++) {
            blocks.add(pool.allocate(SMALL));
        }
        return blocks;
    }
}
