package org.allocator4j.testkit;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;

/** The whole contract, checked mode and failure injection included, passes a correct checked allocator. */
class CheckedReferenceContractTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return new CheckedReference(GlobalAllocator.system());
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return new CheckedReference(parent);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard()
                .withDetection(Kind.DOUBLE_FREE, Kind.FOREIGN_BLOCK, Kind.LAYOUT_MISMATCH, Kind.OVERRUN,
                        Kind.USE_AFTER_FREE)
                .overParent();
    }
}
