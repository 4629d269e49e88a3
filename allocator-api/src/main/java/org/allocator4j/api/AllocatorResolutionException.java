package org.allocator4j.api;

/**
 * Thrown by {@link GlobalAllocator#global()} when the global allocator cannot be chosen: two or more
 * providers and no {@value GlobalAllocator#GLOBAL_PROPERTY} property to choose between them, a property
 * that names no provider there is, or a chosen provider that fails to create its allocator.
 *
 * <p>The message is the {@linkplain Resolution#report() resolution report}: every provider found, with
 * the jar it came from, and how to fix the problem. Once resolution has failed, every call of
 * {@code global()} in the JVM throws a new exception with the same message.
 */
public class AllocatorResolutionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @serial the resolution that failed */
    private final transient Resolution resolution;

    AllocatorResolutionException(Resolution resolution, Throwable cause) {
        super(resolution.report(), cause);
        this.resolution = resolution;
    }

    /** {@return the failed resolution, with every provider that was found} */
    public Resolution resolution() {
        return resolution;
    }
}
