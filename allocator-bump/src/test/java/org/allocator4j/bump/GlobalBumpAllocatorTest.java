package org.allocator4j.bump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class GlobalBumpAllocatorTest {

    @Test
    void provider_isRegisteredAsBump() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(GlobalAllocatorProvider.class).forEach(p -> names.add(p.name()));

        assertTrue(names.contains("bump"), names.toString());
        assertTrue(GlobalAllocator.available().contains("bump"));
        assertEquals("bump", GlobalAllocator.named("bump").name());
    }

    @Test
    void create_readsCapacityAndChunkingProperties() {
        String oldCapacity = System.getProperty(BumpAllocatorProvider.CAPACITY_PROPERTY);
        String oldChunking = System.getProperty(BumpAllocatorProvider.CHUNKING_PROPERTY);
        try {
            System.setProperty(BumpAllocatorProvider.CAPACITY_PROPERTY, "3m");
            System.setProperty(BumpAllocatorProvider.CHUNKING_PROPERTY, "shared");

            var allocator = assertInstanceOf(GlobalBumpAllocator.class, new BumpAllocatorProvider().create());

            assertEquals(3L << 20, allocator.capacity());
            assertEquals(GlobalBumpAllocator.Chunking.SHARED, allocator.chunking());
        } finally {
            restore(BumpAllocatorProvider.CAPACITY_PROPERTY, oldCapacity);
            restore(BumpAllocatorProvider.CHUNKING_PROPERTY, oldChunking);
        }
    }

    @Test
    void named_badCapacity_throwsResolutionExceptionWhoseHeadlineNamesTheValue() {
        String oldCapacity = System.getProperty(BumpAllocatorProvider.CAPACITY_PROPERTY);
        try {
            System.setProperty(BumpAllocatorProvider.CAPACITY_PROPERTY, "12x");
            var e = assertThrows(org.allocator4j.api.AllocatorResolutionException.class,
                    () -> GlobalAllocator.named("bump"));
            assertTrue(e.getMessage().startsWith(org.allocator4j.api.Resolution.PREFIX + "provider 'bump' "
                    + org.allocator4j.api.Resolution.CREATE_FAILED + BumpAllocatorProvider.CAPACITY_PROPERTY
                    + "=12x is not a size; expected bytes with an optional k, m or g suffix, e.g. 512m\n"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(" chooses '"), e.getMessage());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        } finally {
            restore(BumpAllocatorProvider.CAPACITY_PROPERTY, oldCapacity);
        }
    }

    @Test
    void create_withoutProperties_usesDefaults() {
        String oldCapacity = System.getProperty(BumpAllocatorProvider.CAPACITY_PROPERTY);
        String oldChunking = System.getProperty(BumpAllocatorProvider.CHUNKING_PROPERTY);
        try {
            System.clearProperty(BumpAllocatorProvider.CAPACITY_PROPERTY);
            System.clearProperty(BumpAllocatorProvider.CHUNKING_PROPERTY);

            var allocator = assertInstanceOf(GlobalBumpAllocator.class, new BumpAllocatorProvider().create());

            assertEquals(1L << 30, allocator.capacity());
            assertEquals(GlobalBumpAllocator.Chunking.SHARED, allocator.chunking());
        } finally {
            restore(BumpAllocatorProvider.CAPACITY_PROPERTY, oldCapacity);
            restore(BumpAllocatorProvider.CHUNKING_PROPERTY, oldChunking);
        }
    }

    @Test
    void create_badChunking_throwsNamingPropertyAndValue() {
        String old = System.getProperty(BumpAllocatorProvider.CHUNKING_PROPERTY);
        try {
            System.setProperty(BumpAllocatorProvider.CHUNKING_PROPERTY, "striped");

            var e = assertThrows(IllegalArgumentException.class, () -> new BumpAllocatorProvider().create());

            assertTrue(e.getMessage().contains("allocator4j.bump.chunking=striped"), e.getMessage());
        } finally {
            restore(BumpAllocatorProvider.CHUNKING_PROPERTY, old);
        }
    }

    @Test
    void create_badProperty_throwsNamingPropertyAndValue() {
        String old = System.getProperty(BumpAllocatorProvider.CAPACITY_PROPERTY);
        try {
            System.setProperty(BumpAllocatorProvider.CAPACITY_PROPERTY, "lots");

            var e = assertThrows(IllegalArgumentException.class, () -> new BumpAllocatorProvider().create());

            assertTrue(e.getMessage().contains("allocator4j.bump.capacity=lots"), e.getMessage());
        } finally {
            restore(BumpAllocatorProvider.CAPACITY_PROPERTY, old);
        }
    }

    @Test
    void parseSize_suffixes_areBinaryMultiplesAndBadValuesThrow() {
        assertEquals(100, BumpAllocatorProvider.parseSize("p", "100"));
        assertEquals(2048, BumpAllocatorProvider.parseSize("p", "2k"));
        assertEquals(5L << 20, BumpAllocatorProvider.parseSize("p", " 5M "));
        assertEquals(1L << 30, BumpAllocatorProvider.parseSize("p", "1g"));
        assertThrows(IllegalArgumentException.class, () -> BumpAllocatorProvider.parseSize("p", "-1"));
        assertThrows(IllegalArgumentException.class, () -> BumpAllocatorProvider.parseSize("p", "99999999999g"));
        assertThrows(IllegalArgumentException.class, () -> BumpAllocatorProvider.parseSize("p", ""));
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @ParameterizedTest
    @EnumSource(GlobalBumpAllocator.Chunking.class)
    void allocate_beyondCapacity_throwsNamingPropertyAndStaysUsable(GlobalBumpAllocator.Chunking chunking) {
        GlobalBumpAllocator allocator = new GlobalBumpAllocator(3L << 20, chunking);
        for (int i = 0; i < 3; i++) {
            allocator.allocate(Layout.of(900 * 1024, 8)); // dedicated chunks
        }

        var e = assertThrows(BumpLimitExceededException.class, () -> allocator.allocate(Layout.of(900 * 1024, 8)));

        assertTrue(e.getMessage().contains("-Dallocator4j.bump.capacity="), e.getMessage());
        assertEquals("bump", e.allocatorName());
        assertEquals(3L << 20, e.limit());
        assertEquals(64, allocator.allocate(Layout.of(64, 8)).byteSize(), "the rest of the capacity still serves");
        assertTrue(allocator.held() <= allocator.capacity());
    }

    @Test
    void allocate_manyShortLivedThreads_eachTakesOnlyASmallFirstChunk() throws Exception {
        GlobalBumpAllocator allocator = new GlobalBumpAllocator(1L << 20, GlobalBumpAllocator.Chunking.THREAD);
        for (int t = 0; t < 20; t++) {
            Thread thread = new Thread(() -> allocator.allocate(Layout.of(16, 8)));
            thread.start();
            thread.join();
        }

        assertEquals(20 * GlobalBumpAllocator.FIRST_THREAD_CHUNK_SIZE, allocator.held());
    }

    @Test
    void allocate_threadChunksDoubleUpToCap() {
        GlobalBumpAllocator allocator = new GlobalBumpAllocator(64L << 20, GlobalBumpAllocator.Chunking.THREAD);
        long total = 0;
        while (total < 8L << 20) {
            allocator.allocate(Layout.of(4096, 8));
            total += 4096;
        }

        long expected = 0;
        for (long chunk = GlobalBumpAllocator.FIRST_THREAD_CHUNK_SIZE; expected < total; chunk = Math.min(
                GlobalBumpAllocator.CHUNK_SIZE, chunk * 2)) {
            expected += chunk;
        }
        assertEquals(expected, allocator.held());
    }

    @ParameterizedTest
    @EnumSource(GlobalBumpAllocator.Chunking.class)
    void allocate_zeroSize_returnsDangling(GlobalBumpAllocator.Chunking chunking) {
        GlobalBumpAllocator allocator = new GlobalBumpAllocator(1 << 20, chunking);

        MemorySegment block = allocator.allocate(Layout.of(0, 32));

        assertEquals(32, block.address());
        assertEquals(0, allocator.held());
    }

    @ParameterizedTest
    @EnumSource(GlobalBumpAllocator.Chunking.class)
    void allocate_concurrently_blocksNeverOverlap(GlobalBumpAllocator.Chunking chunking) throws Exception {
        GlobalBumpAllocator allocator = new GlobalBumpAllocator(256L << 20, chunking);
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<MemorySegment>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte tag = (byte) (t + 1);
                results.add(pool.submit(() -> {
                    go.await();
                    List<MemorySegment> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        MemorySegment s = allocator.allocate(Layout.of(8 + (i % 5) * 8, 8));
                        s.fill(tag);
                        mine.add(s);
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (int t = 0; t < threads; t++) {
                for (MemorySegment s : results.get(t).get()) {
                    for (long i = 0; i < s.byteSize(); i++) {
                        assertEquals(t + 1, s.get(ValueLayout.JAVA_BYTE, i), "overwritten by another thread");
                    }
                    assertEquals(0, s.address() % 8);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertFalse(allocator.held() > allocator.capacity());
    }
}
