package org.allocator4j.slab;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * Registers the slab allocator as the provider {@value #NAME}. Put {@code allocator-slab} on the class or
 * module path and {@link GlobalAllocator#global()} returns a {@link SlabAllocator} configured by the
 * {@code allocator4j.slab.*} system properties ({@link SlabConfig}).
 */
public final class SlabProvider implements GlobalAllocatorProvider {
    /** The provider's name. */
    public static final String NAME = "slab";

    /** Creates the provider; cheap, with no side effects. */
    public SlabProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GlobalAllocator create() {
        return SlabAllocator.create();
    }
}
