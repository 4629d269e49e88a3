package org.allocator4j.bump;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;
import org.allocator4j.testkit.Freeing;

/** The testkit's contract against the bump arena: frees only its most recent block, confined, over a parent. */
class BumpArenaContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return BumpArena.create();
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return BumpArena.builder().parent(parent).build();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().withFreeing(Freeing.LAST_ONLY).confinedToOneThread().overParent();
    }
}
