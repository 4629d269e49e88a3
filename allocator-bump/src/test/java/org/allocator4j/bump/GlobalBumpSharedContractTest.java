package org.allocator4j.bump;

/** The contract against the global {@code bump} variant with one chunk shared by CAS. */
class GlobalBumpSharedContractTest extends GlobalBumpContract {
    @Override
    GlobalBumpAllocator.Chunking chunking() {
        return GlobalBumpAllocator.Chunking.SHARED;
    }
}
