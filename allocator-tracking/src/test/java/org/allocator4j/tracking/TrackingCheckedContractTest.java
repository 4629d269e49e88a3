package org.allocator4j.tracking;

import static org.allocator4j.api.AllocatorMisuseException.Kind.DOUBLE_FREE;
import static org.allocator4j.api.AllocatorMisuseException.Kind.FOREIGN_BLOCK;
import static org.allocator4j.api.AllocatorMisuseException.Kind.LAYOUT_MISMATCH;
import static org.allocator4j.api.AllocatorMisuseException.Kind.OVERRUN;
import static org.allocator4j.api.AllocatorMisuseException.Kind.USE_AFTER_FREE;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;

/** The testkit's whole contract, misuse detection included, against tracking in checked mode. */
class TrackingCheckedContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return Tracking.builder(GlobalAllocator.system()).checked(true).build();
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return Tracking.builder(parent).checked(true).build();
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().withDetection(DOUBLE_FREE, FOREIGN_BLOCK, LAYOUT_MISMATCH, OVERRUN, USE_AFTER_FREE)
                .overParent();
    }
}
