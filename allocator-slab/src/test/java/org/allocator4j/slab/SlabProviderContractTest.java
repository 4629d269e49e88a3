package org.allocator4j.slab;

import org.allocator4j.spi.GlobalAllocatorProvider;
import org.allocator4j.testkit.ProviderContract;

/** The provider {@code slab}: found by ServiceLoader on the class path and module path, stable name, works. */
class SlabProviderContractTest implements ProviderContract {
    @Override
    public GlobalAllocatorProvider provider() {
        return new SlabProvider();
    }
}
