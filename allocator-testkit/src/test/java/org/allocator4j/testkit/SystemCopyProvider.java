package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * A provider registered on the test class path (META-INF/services), so that the testkit's tests see a
 * provider besides {@code system}: its allocator forwards to {@code system} under its own name.
 */
public final class SystemCopyProvider implements GlobalAllocatorProvider {
    static final String NAME = "testkit-system-copy";

    /** Creates the provider, as ServiceLoader does. */
    public SystemCopyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GlobalAllocator create() {
        return new GlobalAllocator() {
            private final GlobalAllocator system = GlobalAllocator.system();

            @Override
            public MemorySegment allocate(Layout layout) {
                try {
                    return system.allocate(layout);
                } catch (org.allocator4j.api.AllocationException e) {
                    throw new org.allocator4j.api.AllocationException(NAME, layout, "system failed", e);
                }
            }

            @Override
            public void deallocate(MemorySegment block, Layout layout) {
                system.deallocate(block, layout);
            }

            @Override
            public String name() {
                return NAME;
            }
        };
    }
}
