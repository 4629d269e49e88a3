package org.allocator4j.compare.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SamplePlanTest {
    @Property
    void of_anyTrace_startsAtZeroEndsAtTheLastEventAndHoldsThePeak(@ForAll @LongRange(min = 1, max = 10_000_000) long events,
                                                                  @ForAll @IntRange(min = 1, max = 2000) int samples,
                                                                  @ForAll @LongRange(min = -1, max = 10_000_000) long peak) {
        long peakEvent = Math.min(peak, events - 1);
        long[] points = SamplePlan.of(events, samples, peakEvent).points();
        assertEquals(0, points[0]);
        assertEquals(events, points[points.length - 1]);
        if (peakEvent >= 0) {
            assertTrue(Arrays.binarySearch(points, peakEvent + 1) >= 0, "the sample after the peak event");
        }
        for (int i = 1; i < points.length; i++) {
            assertTrue(points[i] > points[i - 1], "ascending");
        }
        assertTrue(points.length <= samples + 3, "at most the samples asked for, plus 0, the peak and the end");
        assertEquals(SamplePlan.of(events, samples, peakEvent), SamplePlan.of(events, samples, peakEvent),
                "the same for every strategy");
    }

    @Test
    void of_noEvents_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplePlan.of(0, 10, -1));
        assertEquals("events=0 is below 1; a plan needs events", e.getMessage());
    }
}
