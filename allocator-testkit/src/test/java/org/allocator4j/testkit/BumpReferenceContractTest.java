package org.allocator4j.testkit;

import org.allocator4j.api.GlobalAllocator;

/** The contract fits a confined bump arena over a parent: LAST_ONLY freeing, reuse and threads skipped. */
class BumpReferenceContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return new BumpReference(GlobalAllocator.system());
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return new BumpReference(parent);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().withFreeing(Freeing.LAST_ONLY).confinedToOneThread().overParent();
    }
}
