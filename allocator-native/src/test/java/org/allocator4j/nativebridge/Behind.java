package org.allocator4j.nativebridge;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * The allocators the library tests put behind a bridge: {@code system}, slab, and tracking over slab.
 * {@link #open()} makes a fresh one, to close after the library has freed everything.
 */
enum Behind {
    SYSTEM, SLAB, TRACKING;

    /** {@return a fresh allocator of this kind, closed by the returned handle} */
    Opened open() {
        return switch (this) {
            case SYSTEM -> new Opened(GlobalAllocator.system(), () -> { });
            case SLAB -> {
                SlabAllocator slab = SlabAllocator.create();
                yield new Opened(slab, slab::close);
            }
            case TRACKING -> {
                SlabAllocator slab = SlabAllocator.create();
                TrackingAllocator tracking = Tracking.builder(slab).jmx(false).build();
                yield new Opened(tracking, () -> {
                    tracking.close();
                    slab.close();
                });
            }
        };
    }

    /** An allocator and how to close it. */
    record Opened(GlobalAllocator allocator, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }
}
