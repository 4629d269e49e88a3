package org.allocator4j.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import net.jqwik.api.lifecycle.AddLifecycleHook;

import org.allocator4j.api.AllocatorMisuseException.Kind;

/**
 * Marks a check of {@link AllocatorContract} that applies only to allocators with some
 * {@link Capabilities}; where they are missing the check is reported as skipped, with the reason.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(CapabilityCondition.class)
@interface Requires {
    /** {@return the freeing behaviours under which the check applies; empty: any} */
    Freeing[] freeing() default {};

    /** {@return whether the check needs a thread-safe allocator} */
    boolean threadSafe() default false;

    /** {@return whether the check needs an allocator over a parent} */
    boolean parent() default false;

    /** {@return whether the check is for allocators that take no parent (those over one get a counting parent)} */
    boolean noParent() default false;

    /** {@return the misuse the allocator must detect for the check to apply} */
    Kind[] detects() default {};

    /** {@return whether the check reads the process's resident memory (Linux {@code /proc/self/statm})} */
    boolean residentMemory() default false;

    /** {@return whether the check reads glibc's {@code mallinfo2()} ({@link MallocStatistics})} */
    boolean mallocStatistics() default false;

    /** {@return whether the check is one a {@link KnownFailure} names for some allocator} */
    boolean knownFailures() default false;
}
