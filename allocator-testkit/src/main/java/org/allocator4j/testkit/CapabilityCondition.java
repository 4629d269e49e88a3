package org.allocator4j.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;

/**
 * Skips a check marked {@link Requires} when the allocator's {@link AllocatorContract#capabilities()} lack
 * what it needs, with the reason reported to the JUnit Platform (jqwik's skip hook).
 */
final class CapabilityCondition implements SkipExecutionHook {

    CapabilityCondition() {
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<Requires> requires = context.findAnnotation(Requires.class);
        Optional<Class<?>> container = context.optionalContainerClass();
        if (requires.isEmpty() || container.isEmpty() || !AllocatorContract.class.isAssignableFrom(container.get())) {
            return SkipResult.doNotSkip();
        }
        AllocatorContract contract = (AllocatorContract) context.newInstance(container.get());
        List<String> missing = missing(requires.get(), contract.capabilities());
        if (missing.isEmpty() && requires.get().knownFailures()) {
            Optional<KnownFailure> known = context.optionalElement()
                    .filter(java.lang.reflect.Method.class::isInstance)
                    .map(method -> ((java.lang.reflect.Method) method).getName())
                    .flatMap(name -> KnownFailure.of(nameOf(contract), name));
            if (known.isPresent()) {
                return SkipResult.skip(container.get().getSimpleName() + ": " + known.get().reason());
            }
        }
        return missing.isEmpty()
                ? SkipResult.doNotSkip()
                : SkipResult.skip(container.get().getSimpleName() + ": " + String.join("; ", missing));
    }

    /** {@return the name of the contract's allocator} A fresh one is created and closed to learn it. */
    private static String nameOf(AllocatorContract contract) {
        GlobalAllocator allocator = contract.newAllocator();
        try {
            return allocator.name();
        } finally {
            try {
                contract.close(allocator);
            } catch (Exception e) {
                throw new IllegalStateException("closing allocator '" + allocator.name() + "' failed", e);
            }
        }
    }

    static List<String> missing(Requires requires, Capabilities capabilities) {
        List<String> missing = new ArrayList<>();
        if (requires.freeing().length > 0 && !Arrays.asList(requires.freeing()).contains(capabilities.freeing())) {
            missing.add("applies to freeing=" + Arrays.toString(requires.freeing())
                    + ", the allocator declares freeing=" + capabilities.freeing());
        }
        if (requires.threadSafe() && !capabilities.threadSafe()) {
            missing.add("applies to thread-safe allocators, the allocator declares it is confined to one thread");
        }
        if (requires.parent() && !capabilities.takesParent()) {
            missing.add("applies to allocators over a parent, the allocator declares none (Capabilities.overParent())");
        }
        if (requires.noParent() && capabilities.takesParent()) {
            missing.add("applies to allocators without a parent; the allocator takes one, and the counting parent"
                    + " of parent_steadyWorkload_parentHoldsAPlateauAndNothingAfterClose accounts for it exactly");
        }
        for (Kind kind : requires.detects()) {
            if (!capabilities.detects().contains(kind)) {
                missing.add("applies to checked modes detecting " + kind + ", the allocator declares detects="
                        + capabilities.detects());
            }
        }
        if (requires.residentMemory() && !ResidentMemory.isAvailable()) {
            missing.add("reads resident memory from " + ResidentMemory.STATM + ", which os.name="
                    + System.getProperty("os.name") + " does not have");
        }
        if (requires.mallocStatistics() && !MallocStatistics.isAvailable()) {
            missing.add("reads glibc's mallinfo2(), which this platform's C library does not have");
        }
        return missing;
    }
}
