package org.allocator4j.tracking;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.allocator4j.spi.GlobalAllocatorProvider;
import org.allocator4j.testkit.ProviderContract;
import org.allocator4j.trace.TraceFormat;

/** The provider {@code tracking}: found by ServiceLoader on the class path and module path, stable name, works. */
class TrackingProviderContractTest implements ProviderContract {
    @Override
    public GlobalAllocatorProvider provider() {
        return new TrackingProvider();
    }

    /** {@return the trace module, which tracking requires for recording} */
    @Override
    public List<Path> modulePath() {
        try {
            return List.of(Path.of(TraceFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the location of module org.allocator4j.trace is not a path", e);
        }
    }
}
