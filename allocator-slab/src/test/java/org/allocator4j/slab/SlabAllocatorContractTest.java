package org.allocator4j.slab;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;

/** The testkit's whole contract against the slab allocator, over system and over a failing parent. */
class SlabAllocatorContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return SlabAllocator.create(SlabConfig.DEFAULT, GlobalAllocator.system());
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return SlabAllocator.create(SlabConfig.DEFAULT, parent);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().overParent();
    }

    @Override
    public void close(GlobalAllocator allocator) {
        ((SlabAllocator) allocator).close();
    }
}
