package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs of kind {@link BugKind#CONCURRENCY} show under the condition their javadoc gives: a
 * block handed to two callers at once. The races are found by hammering one layout until a duplicate
 * appears (bounded by an operation count, never by time).
 */
class ConcurrencyBugsTest {
    private static final Layout HOT = Layout.of(48, 8);
    private static final int OPERATIONS = 200_000;

    @Test
    void wrap16Handles_blockLiveAcross65536Allocations_recycledWhileLive() {
        Wrap16Handles allocator = new Wrap16Handles();
        try {
            MemorySegment old = allocator.allocate(HOT);
            for (int i = 1; i < 1 << 16; i++) {
                allocator.deallocate(allocator.allocate(HOT), HOT);
            }
            MemorySegment wrapped = allocator.allocate(HOT); // takes old's handle
            allocator.deallocate(old, HOT);
            MemorySegment next = allocator.allocate(HOT);
            assertEquals(wrapped.address(), next.address(), "a live block handed out again");
        } finally {
            allocator.close();
        }
    }

    @Test
    void thirdThreadSharesCache_twoThreads_noDuplicate() throws InterruptedException {
        ThirdThreadSharesCache allocator = new ThirdThreadSharesCache();
        try {
            assertFalse(hammer(allocator, 2, OPERATIONS / 10), "each of two threads has a cache of its own");
        } finally {
            allocator.close();
        }
    }

    @Test
    void thirdThreadSharesCache_threeThreads_duplicate() throws InterruptedException {
        ThirdThreadSharesCache allocator = new ThirdThreadSharesCache();
        try {
            assertTrue(hammer(allocator, 3, OPERATIONS));
        } finally {
            allocator.close();
        }
    }

    @Test
    void ninthThreadSharesCache_nineThreads_duplicate() throws InterruptedException {
        NinthThreadSharesCache allocator = new NinthThreadSharesCache();
        try {
            assertTrue(hammer(allocator, 9, OPERATIONS));
        } finally {
            allocator.close();
        }
    }

    @Test
    void hotClassDropsLock_eightThreadsOnOneLayout_duplicate() throws InterruptedException {
        HotClassDropsLock allocator = new HotClassDropsLock();
        try {
            assertTrue(hammer(allocator, 8, OPERATIONS));
        } finally {
            allocator.close();
        }
    }

    /**
     * {@return whether a block was seen live twice} Each of {@code threads} threads allocates blocks of
     * {@link #HOT}, claims its address in a shared set and stamps it while it holds it, and frees it,
     * until a claim fails, a stamp is overwritten, or it has done {@code operations}.
     */
    private static boolean hammer(GlobalAllocator allocator, int threads, int operations) throws InterruptedException {
        Set<Long> held = ConcurrentHashMap.newKeySet();
        AtomicBoolean duplicate = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byte stamp = (byte) (t + 1);
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < operations && !duplicate.get(); i++) {
                    MemorySegment block = allocator.allocate(HOT);
                    if (!held.add(block.address())) {
                        duplicate.set(true);
                        return; // the other holder frees it; this one leaves it
                    }
                    block.fill(stamp);
                    Thread.yield(); // holds the block a while, as a real owner would
                    if (!Bytes.all(block, stamp)) {
                        duplicate.set(true); // another thread wrote into it while this one held it
                        return;
                    }
                    held.remove(block.address());
                    allocator.deallocate(block, HOT);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        return duplicate.get();
    }
}
