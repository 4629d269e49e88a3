package org.allocator4j.testkit.example;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;

class MyAllocatorTest implements AllocatorContract {
    @Override
    public GlobalAllocator newAllocator() {
        return new MyAllocator();
    }
}
