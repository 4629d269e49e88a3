package org.allocator4j.nativebridge;

import static org.allocator4j.nativebridge.NativeCaller.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Example;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.tracking.AllocationListener;
import org.allocator4j.tracking.BudgetExceededException;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * The bridge's C contract over tracking in checked mode (over {@code system}), with a budget of 64 MiB;
 * and what tracking sees of C's allocations: the same blocks and bytes, failures told to its listeners.
 */
class TrackingBridgeTest extends NativeBridgeContract {
    private static final long BUDGET = 64 << 20;
    private final AtomicInteger failuresHeard = new AtomicInteger();
    private TrackingAllocator tracking;

    @Override
    GlobalAllocator allocator() {
        tracking = Tracking.builder(GlobalAllocator.system()).checked(true).budget(BUDGET).jmx(false)
                .listener(new AllocationListener() {
                    @Override
                    public void onFailure(Layout layout, AllocationException failure) {
                        failuresHeard.incrementAndGet();
                    }
                }).build();
        return tracking;
    }

    @Example
    void malloc_overBudget_returnsNullAndTrackingTellsItsListeners() {
        long kept = call(bridge(), CFunction.MALLOC, BUDGET / 2);

        assertEquals(0L, call(bridge(), CFunction.MALLOC, BUDGET / 2 + 1));

        assertEquals(1L, bridge().failures());
        assertEquals(1, failuresHeard.get());
        assertEquals(1L, tracking.snapshot().failures());
        assertInstanceOf(BudgetExceededException.class, bridge().lastFailure().orElseThrow());
        long small = call(bridge(), CFunction.MALLOC, 1024);
        assertNotEquals(0L, small, "under the budget again, allocation works");
        call(bridge(), CFunction.FREE, small);
        call(bridge(), CFunction.FREE, kept);
        assertEquals(0L, tracking.snapshot().liveBytes());
    }

    @Example
    void callsFromC_areTheBlocksTrackingSees() {
        long a = call(bridge(), CFunction.MALLOC, 100);
        long b = call(bridge(), CFunction.CALLOC, 3, 50);
        long c = call(bridge(), CFunction.REALLOC, call(bridge(), CFunction.MALLOC, 10), 300);

        assertEquals(3L, tracking.snapshot().liveBlocks());
        assertEquals(bridge().liveBytes(), tracking.snapshot().liveBytes());
        assertEquals(550L, tracking.snapshot().liveBytes());
        call(bridge(), CFunction.FREE, a);
        call(bridge(), CFunction.FREE, b);
        call(bridge(), CFunction.FREE, c);
        assertEquals(0L, tracking.snapshot().liveBytes());
        tracking.verify();
    }
}
