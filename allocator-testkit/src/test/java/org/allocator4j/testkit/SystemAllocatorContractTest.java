package org.allocator4j.testkit;

import org.allocator4j.api.GlobalAllocator;

/** The whole contract against the built-in {@code system} allocator (libc malloc/free). */
class SystemAllocatorContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return GlobalAllocator.system();
    }
}
