package org.allocator4j.bump;

/** The contract against the global {@code bump} variant with a chunk per thread. */
class GlobalBumpPerThreadContractTest extends GlobalBumpContract {
    @Override
    GlobalBumpAllocator.Chunking chunking() {
        return GlobalBumpAllocator.Chunking.THREAD;
    }
}
