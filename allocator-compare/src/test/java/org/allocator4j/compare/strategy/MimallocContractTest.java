package org.allocator4j.compare.strategy;

import net.jqwik.api.lifecycle.AddLifecycleHook;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;

/** The whole conformance suite against compare's mimalloc binding (mi_malloc_aligned_at where aligned). */
@AddLifecycleHook(LibraryPresent.class)
@LibraryPresent.Needs(NativeLibrary.MIMALLOC)
class MimallocContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return NativeAllocator.load(NativeLibrary.MIMALLOC);
    }
}
