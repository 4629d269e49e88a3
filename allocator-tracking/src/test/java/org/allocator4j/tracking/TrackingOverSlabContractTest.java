package org.allocator4j.tracking;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.slab.SlabConfig;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;

/** The testkit's contract against tracking wrapped around the slab strategy (test-scope dependency only). */
class TrackingOverSlabContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return Tracking.wrap(SlabAllocator.create(SlabConfig.DEFAULT, GlobalAllocator.system()));
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return Tracking.wrap(SlabAllocator.create(SlabConfig.DEFAULT, parent));
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().overParent();
    }

    @Override
    public void close(GlobalAllocator allocator) {
        TrackingAllocator tracking = (TrackingAllocator) allocator;
        tracking.close();
        ((SlabAllocator) tracking.inner()).close();
    }
}
