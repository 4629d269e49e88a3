package org.allocator4j.tracking;

import org.allocator4j.spi.GlobalAllocatorProvider;
import org.allocator4j.testkit.ProviderContract;

/** The provider {@code tracking}: found by ServiceLoader on the class path and module path, stable name, works. */
class TrackingProviderContractTest implements ProviderContract {
    @Override
    public GlobalAllocatorProvider provider() {
        return new TrackingProvider();
    }
}
