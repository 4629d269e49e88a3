package org.allocator4j.compare;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * A provider registered for this module's tests only, so that compare's provider path (discovery, a fresh
 * allocator per replay, the footprint of a strategy over malloc, closing) runs against a real provider
 * while the project's strategies have none yet. Its allocator passes every call to {@code system}.
 */
public final class TestDelegatingProvider implements GlobalAllocatorProvider {
    /** The provider's name. */
    public static final String NAME = "test-delegating";
    /** How many of its allocators were closed. */
    static final AtomicInteger CLOSED = new AtomicInteger();
    /** How many of its allocators were created. */
    static final AtomicInteger CREATED = new AtomicInteger();

    /** Creates the provider, as {@link java.util.ServiceLoader} does. */
    public TestDelegatingProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GlobalAllocator create() {
        CREATED.incrementAndGet();
        return new Delegating();
    }

    private static final class Delegating implements GlobalAllocator, AutoCloseable {
        @Override
        public MemorySegment allocate(Layout layout) {
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

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }
}
