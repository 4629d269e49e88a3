package org.allocator4j.compare.footprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GlibcMallocTest {
    /** What glibc 2.36's malloc_info(0, ...) writes for a process with two arenas (size lines shortened). */
    private static final String XML = """
            <malloc version="1">
            <heap nr="0">
            <sizes>
              <size from="33" to="48" total="48" count="1"/>
            </sizes>
            <total type="fast" count="1" size="48"/>
            <total type="rest" count="2" size="64848"/>
            <system type="current" size="135168"/>
            <system type="max" size="135168"/>
            <aspace type="total" size="135168"/>
            <aspace type="mprotect" size="135168"/>
            </heap>
            <heap nr="1">
            <sizes>
            </sizes>
            <total type="fast" count="0" size="0"/>
            <total type="rest" count="1" size="1000"/>
            <system type="current" size="2764800"/>
            <system type="max" size="2764800"/>
            <aspace type="total" size="2764800"/>
            <aspace type="mprotect" size="2764800"/>
            </heap>
            <total type="fast" count="1" size="48"/>
            <total type="rest" count="3" size="65848"/>
            <total type="mmap" count="2" size="5771264"/>
            <system type="current" size="2899968"/>
            <system type="max" size="2899968"/>
            <aspace type="total" size="2899968"/>
            <aspace type="mprotect" size="2899968"/>
            </malloc>
            """;

    @Test
    void arenas_mallocInfoXml_givesSizeAndFreeBytesPerArenaThenMmapped() {
        long[][] arenas = GlibcMalloc.arenas(XML);
        assertEquals(3, arenas.length);
        assertArrayEquals(new long[] {135168, 48 + 64848}, arenas[0]);
        assertArrayEquals(new long[] {2764800, 1000}, arenas[1]);
        assertArrayEquals(new long[] {5771264, 0}, arenas[2]);
    }

    @Test
    void replayArena_blockAllocatedOnThisThread_isSeenInItsFootprint() {
        Assumptions.assumeTrue(GlibcMalloc.available(), "glibc 2.33+ only");
        FootprintProbe probe = GlibcMalloc.replayArena(false);
        long baseline = probe.baseline();
        Layout layout = Layout.of(64 * 1024, 16);
        var block = GlobalAllocator.system().allocate(layout);
        try {
            long grown = probe.bytes() - baseline;
            // Only a lower bound: the JVM's own threads malloc in this arena too (class loading, the JIT),
            // so what else it grew by in the meantime is not this test's to bound.
            assertTrue(grown >= 60 * 1024, "in use grew by " + grown + " bytes");
        } finally {
            GlobalAllocator.system().deallocate(block, layout);
        }
    }
}
