package org.allocator4j.compare;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * A provider registered for this module's tests only: an allocator that never returns from
 * {@code allocate} when the JVM runs with {@value #HANG_PROPERTY}{@code =true} (a worker given
 * {@code -J-D...}), and passes every call to {@code system} otherwise. What a worker that hangs looks like.
 */
public final class TestHangingProvider implements GlobalAllocatorProvider {
    /** The provider's name. */
    public static final String NAME = "test-hanging";
    /** The system property that makes {@code allocate} hang. */
    public static final String HANG_PROPERTY = "allocator4j.test.hang";

    /** Creates the provider, as {@link java.util.ServiceLoader} does. */
    public TestHangingProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GlobalAllocator create() {
        return new GlobalAllocator() {
            @Override
            public MemorySegment allocate(Layout layout) {
                while (Boolean.getBoolean(HANG_PROPERTY)) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                return GlobalAllocator.system().allocate(layout);
            }

            @Override
            public void deallocate(MemorySegment block, Layout layout) {
                GlobalAllocator.system().deallocate(block, layout);
            }

            @Override
            public String name() {
                return NAME;
            }
        };
    }
}
