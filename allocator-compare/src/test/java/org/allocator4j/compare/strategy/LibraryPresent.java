package org.allocator4j.compare.strategy;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a contract class whose native library does not load here (not installed, or jemalloc without its
 * static TLS tunable), with the library's own reason; the class names its library with {@link Needs}.
 */
final class LibraryPresent implements SkipExecutionHook {
    /** The library a contract class needs. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @interface Needs {
        NativeLibrary value();
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<AnnotatedElement> element = context.optionalElement();
        Optional<Needs> needs = element.flatMap(e -> context.findAnnotation(Needs.class));
        if (needs.isEmpty()) {
            return SkipResult.doNotSkip();
        }
        try {
            NativeAllocator.load(needs.get().value());
            return SkipResult.doNotSkip();
        } catch (UnsupportedOperationException e) {
            return SkipResult.skip(e.getMessage());
        }
    }
}
