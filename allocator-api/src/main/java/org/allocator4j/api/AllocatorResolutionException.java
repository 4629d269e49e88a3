package org.allocator4j.api;

/**
 * Thrown by {@link GlobalAllocator#global()} when the global allocator cannot be chosen: two or more
 * providers and no {@value GlobalAllocator#GLOBAL_PROPERTY} property to choose between them, a property
 * that names no provider there is, or a chosen provider that fails to give its allocator
 * ({@link Resolution.Outcome#PROVIDER_FAILED}).
 *
 * <p>The message is the {@linkplain Resolution#report() resolution report}: its headline says what
 * failed (for a provider: {@code provider 'NAME' failed to create its allocator: } and what its
 * {@code create()} threw, or that it returned null, called {@code global()} from {@code create()}, or
 * made an allocator of another name), then every provider found with the jar or module it came from,
 * and how to fix the problem. Whatever a provider throws, an {@link Error} included, becomes the
 * {@linkplain #getCause() cause} of this exception; only a {@link VirtualMachineError} is thrown as it
 * is (and then resolution is tried again on the next call). Once resolution has failed, every call of
 * {@code global()} in the JVM throws a new exception with the same message and the same cause.
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
