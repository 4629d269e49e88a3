package org.allocator4j.compare.strategy;

import net.jqwik.api.lifecycle.AddLifecycleHook;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;

/** The whole conformance suite against compare's jemalloc binding (sized free, aligned flags). */
@AddLifecycleHook(LibraryPresent.class)
@LibraryPresent.Needs(NativeLibrary.JEMALLOC)
class JemallocContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return NativeAllocator.load(NativeLibrary.JEMALLOC);
    }
}
