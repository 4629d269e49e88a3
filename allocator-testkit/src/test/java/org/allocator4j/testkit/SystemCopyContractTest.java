package org.allocator4j.testkit;

import org.allocator4j.api.GlobalAllocator;

/** The allocator contract against an allocator created by a provider, through GlobalAllocator.named. */
class SystemCopyContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return GlobalAllocator.named(SystemCopyProvider.NAME);
    }
}
