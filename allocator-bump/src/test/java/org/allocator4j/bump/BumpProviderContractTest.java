package org.allocator4j.bump;

import org.allocator4j.spi.GlobalAllocatorProvider;
import org.allocator4j.testkit.ProviderContract;

/** The provider {@code bump}: found by ServiceLoader on the class path and module path, stable name, works. */
class BumpProviderContractTest implements ProviderContract {
    @Override
    public GlobalAllocatorProvider provider() {
        return new BumpAllocatorProvider();
    }
}
