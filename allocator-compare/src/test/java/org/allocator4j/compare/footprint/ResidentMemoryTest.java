package org.allocator4j.compare.footprint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {
    @Test
    void bytes_afterTouchingEightMebibytes_growsByAboutAsMuch() {
        ResidentMemory probe = ResidentMemory.open(GlibcMalloc.pageSize()).orElse(null);
        Assumptions.assumeTrue(probe != null, "/proc/self/statm: Linux only");
        try (probe) {
            Layout layout = Layout.of(8 << 20, 4096);
            long before = probe.bytes();
            MemorySegment block = GlobalAllocator.system().allocate(layout);
            try {
                long untouched = probe.bytes() - before;
                block.fill((byte) 1);
                long touched = probe.bytes() - before;
                // Only a lower bound on what the touched pages add: the JVM's own threads work meanwhile.
                assertTrue(touched - untouched >= 7 << 20, "grew by " + (touched - untouched) + " bytes");
            } finally {
                GlobalAllocator.system().deallocate(block, layout);
            }
        }
    }
}
