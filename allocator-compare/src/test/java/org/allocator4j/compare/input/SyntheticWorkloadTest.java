package org.allocator4j.compare.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SyntheticWorkloadTest {
    @Property(tries = 10)
    void trace_sameSeed_sameTrace(@ForAll SyntheticWorkload workload, @ForAll long seed) {
        assertEquals(workload.trace(seed, 1), workload.trace(seed, 1));
    }

    @Property(tries = 10)
    void trace_anySeed_freesEveryBlockItAllocatedAndNothingElse(@ForAll SyntheticWorkload workload, @ForAll long seed) {
        TraceSummary summary = TraceSummary.of(workload.trace(seed, 1));
        assertEquals(0, summary.unknownFrees() + summary.unknownReallocs() + summary.liveAtEnd(), summary.toString());
        assertTrue(summary.peakLiveBytes() > 0);
    }

    @Test
    void named_unknownName_listsTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticWorkload.named("x"));
        assertEquals("synthetic workload name=x is unknown; expected one of glibc-simple, larson, fragmentation",
                e.getMessage());
    }

    @Test
    void trace_scaleTwo_isLonger() {
        assertTrue(SyntheticWorkload.LARSON.trace(1, 2).length() > SyntheticWorkload.LARSON.trace(1, 1).length());
    }
}
