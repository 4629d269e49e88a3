package org.allocator4j.tracking;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;

/** The testkit's whole contract against tracking (statistics and default sampling) over system. */
class TrackingContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return Tracking.wrap(GlobalAllocator.system());
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return Tracking.wrap(parent);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().overParent();
    }
}
