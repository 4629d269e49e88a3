package org.allocator4j.testkit;

import org.allocator4j.spi.GlobalAllocatorProvider;

/** The provider contract, class path and module path, against the test class path's provider. */
class SystemCopyProviderTest implements ProviderContract {
    @Override
    public GlobalAllocatorProvider provider() {
        return new SystemCopyProvider();
    }
}
