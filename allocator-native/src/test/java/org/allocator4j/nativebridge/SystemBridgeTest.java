package org.allocator4j.nativebridge;

import org.allocator4j.api.GlobalAllocator;

/** The bridge's C contract over the built-in {@code system} allocator. */
class SystemBridgeTest extends NativeBridgeContract {
    @Override
    GlobalAllocator allocator() {
        return GlobalAllocator.system();
    }
}
