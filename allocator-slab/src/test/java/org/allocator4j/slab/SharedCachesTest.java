package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caches virtual threads share: claims, growth under contention, and their blocks coming back. */
class SharedCachesTest {
    private static final Layout LAYOUT = Layout.of(64, 8);

    private final SlabHeap heap = (SlabHeap) SlabAllocator.create(SlabConfig.DEFAULT.withCheckFrees(true));
    private final int[] capacity = new int[SizeClass.COUNT];

    SharedCachesTest() {
        java.util.Arrays.fill(capacity, 4);
    }

    @AfterEach
    void close() {
        heap.close();
    }

    @Test
    void acquire_everyStripeBusy_growsToTheBoundThenReturnsNull() {
        SharedCaches caches = new SharedCaches(heap, capacity, 2, 8);
        List<SharedCaches.Stripe> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SharedCaches.Stripe stripe = caches.acquire(i);
            assertNotNull(stripe, "claim " + i + " of 8");
            assertTrue(held.stream().noneMatch(s -> s == stripe), "one stripe claimed twice");
            held.add(stripe);
        }
        assertEquals(8, caches.size());
        assertNull(caches.acquire(99), "every stripe busy at the bound: the caller goes to the pools");
        held.get(3).release();
        assertSame(held.get(3), caches.acquire(99), "a released stripe is claimed again");
    }

    @Test
    void acquire_contendedClaims_doubleTheSet() {
        SharedCaches caches = new SharedCaches(heap, capacity, 2, 16);
        SharedCaches.Stripe busy = caches.acquire(0);
        for (int i = 0; i <= SharedCaches.GROW_AFTER * 2; i++) {
            SharedCaches.Stripe other = caches.acquire(0); // stripe 0 is busy: probes, counts contention
            assertTrue(other != busy);
            other.release();
        }
        assertEquals(4, caches.size(), "contention past the threshold doubled the set once");
        busy.release();
    }

    @Test
    void acquire_uncontended_neverGrows() {
        SharedCaches caches = new SharedCaches(heap, capacity, 2, 16);
        for (int i = 0; i < 10_000; i++) {
            caches.acquire(i).release();
        }
        assertEquals(2, caches.size());
    }

    @Test
    void constructor_notPowersOfTwo_throwsNamingValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SharedCaches(heap, capacity, 3, 8));
        assertTrue(e.getMessage().contains("initialStripes=3"), e.getMessage());
    }

    @Test
    void defaultStripes_twiceTheProcessorsAsAPowerOfTwo() {
        int stripes = SharedCaches.defaultStripes();
        assertEquals(1, Integer.bitCount(stripes));
        assertTrue(stripes >= 2 * Runtime.getRuntime().availableProcessors(), "stripes=" + stripes);
        assertTrue(stripes < 4 * Runtime.getRuntime().availableProcessors() || stripes == 2, "stripes=" + stripes);
    }

    @Test
    void virtualThreads_freeIntoSharedCaches_trimFromAPlatformThreadReturnsEverything() throws Exception {
        Thread vt = Thread.ofVirtual().start(() -> {
            List<MemorySegment> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                blocks.add(heap.allocate(LAYOUT));
            }
            blocks.forEach(b -> heap.deallocate(b, LAYOUT));
        });
        vt.join();
        SlabStatistics before = heap.statistics();
        assertTrue(before.cachedBytes() > 0, "the blocks sit in a shared cache: " + before);
        assertEquals(0, before.inUseBytes(), before.toString());
        assertEquals(0, heap.platformCacheCount(), "a virtual thread registers no cache of its own");
        heap.trim();
        assertEquals(0, heap.statistics().retainedBytes(), "trim claimed the shared caches and flushed them");
    }

    @Test
    void virtualAndPlatformThreads_crossThreadFrees_nothingLostOrHandedOutTwice() throws Exception {
        ConcurrentLinkedQueue<MemorySegment> fromVirtual = new ConcurrentLinkedQueue<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 1000; i++) {
                MemorySegment b = heap.allocate(LAYOUT);
                b.fill((byte) 7);
                fromVirtual.add(b);
            }
        });
        vt.join();
        List<MemorySegment> fromPlatform = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fromPlatform.add(heap.allocate(LAYOUT));
        }
        assertEquals(2000 * 64L, heap.statistics().inUseBytes());
        assertTrue(fromPlatform.stream().noneMatch(p -> fromVirtual.stream().anyMatch(v -> v.address() == p.address())));
        fromVirtual.forEach(b -> heap.deallocate(b, LAYOUT)); // the platform thread frees the virtual one's
        Thread free = Thread.ofVirtual().start(() -> fromPlatform.forEach(b -> heap.deallocate(b, LAYOUT)));
        free.join();
        assertEquals(0, heap.statistics().inUseBytes());
        heap.trim();
        assertEquals(0, heap.statistics().retainedBytes());
    }

    @Test
    void virtualThread_doubleFree_throwsAsOnAPlatformThread() throws Exception {
        MemorySegment block = heap.allocate(LAYOUT);
        heap.deallocate(block, LAYOUT);
        Throwable[] thrown = {null};
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                heap.deallocate(block, LAYOUT);
            } catch (AllocatorMisuseException e) {
                thrown[0] = e;
            }
        });
        vt.join();
        assertTrue(thrown[0] instanceof AllocatorMisuseException e && e.kind() == AllocatorMisuseException.Kind.DOUBLE_FREE,
                String.valueOf(thrown[0]));
    }
}
