package org.allocator4j.bump;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.AllocatorContract;
import org.allocator4j.testkit.Capabilities;
import org.allocator4j.testkit.Freeing;

/**
 * The testkit's contract against the global {@code bump} variant (thread-safe, never frees), with both
 * ways of sharing chunks (one top-level subclass each: surefire does not run nested classes). Each try's allocator gives its chunks back in {@link #close}, so the test JVM
 * does not keep what a never-freeing allocator takes.
 */
abstract class GlobalBumpContract implements AllocatorContract {
    private static final long CAPACITY = 256L << 20;

    abstract GlobalBumpAllocator.Chunking chunking();

    @Override
    public GlobalAllocator newAllocator() {
        return new GlobalBumpAllocator(CAPACITY, chunking());
    }

    @Override
    public GlobalAllocator newAllocator(GlobalAllocator parent) {
        return new GlobalBumpAllocator(CAPACITY, chunking(), parent);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.standard().withFreeing(Freeing.ON_RESET_ONLY).withMaxSize(CAPACITY / 2).overParent();
    }

    @Override
    public void close(GlobalAllocator allocator) {
        ((GlobalBumpAllocator) allocator).release();
    }
}
