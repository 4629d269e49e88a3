package org.allocator4j.compare.footprint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GlibcMallocTest {
    @Test
    void inUse_blockAllocated_isSeenInTheFigure() {
        Assumptions.assumeTrue(GlibcMalloc.available(), "glibc 2.33+ only");
        FootprintProbe probe = GlibcMalloc.inUse();
        long before = probe.bytes();
        Layout layout = Layout.of(256 * 1024, 16);
        var block = GlobalAllocator.system().allocate(layout);
        try {
            long grown = probe.bytes() - before;
            // Only a lower bound: the JVM's own threads malloc too (class loading, the JIT).
            assertTrue(grown >= 250 * 1024, "in use grew by " + grown + " bytes");
        } finally {
            GlobalAllocator.system().deallocate(block, layout);
        }
    }

    @Test
    void version_onGlibc_isDottedNumbers() {
        Assumptions.assumeTrue(GlibcMalloc.available(), "glibc 2.33+ only");
        assertTrue(GlibcMalloc.version().matches("\\d+\\.\\d+(\\.\\d+)?"), GlibcMalloc.version());
    }
}
