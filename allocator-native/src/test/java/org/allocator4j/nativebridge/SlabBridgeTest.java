package org.allocator4j.nativebridge;

import net.jqwik.api.lifecycle.AfterProperty;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.slab.SlabAllocator;

/** The bridge's C contract over a slab allocator (size classes, per-thread caches). */
class SlabBridgeTest extends NativeBridgeContract {
    private SlabAllocator slab;

    @Override
    GlobalAllocator allocator() {
        slab = SlabAllocator.create();
        return slab;
    }

    @AfterProperty
    void closeSlab() {
        slab.close();
    }
}
