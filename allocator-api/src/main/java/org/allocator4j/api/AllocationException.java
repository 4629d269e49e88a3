package org.allocator4j.api;

import java.util.Objects;

/**
 * Thrown when an allocator cannot satisfy a request: memory exhausted, a byte budget exceeded, or a size
 * the allocator cannot provide. The allocator that throws it stays usable.
 *
 * <p>The message names the layout and the allocator; both are also available as {@link #layout()} and
 * {@link #allocatorName()}. Strategies may throw subclasses that say more (a budget and its use, say).
 */
public class AllocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @serial the layout that could not be allocated */
    private final Layout layout;
    /** @serial the {@link GlobalAllocator#name()} of the allocator that failed */
    private final String allocatorName;

    /**
     * Creates an exception whose message is {@code "<allocator> cannot allocate <layout>: <reason>"}.
     *
     * @param allocatorName the name of the allocator that failed
     * @param layout        the layout that was requested
     * @param reason        why the request failed
     */
    public AllocationException(String allocatorName, Layout layout, String reason) {
        this(allocatorName, layout, reason, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param allocatorName the name of the allocator that failed
     * @param layout        the layout that was requested
     * @param reason        why the request failed
     * @param cause         the underlying failure, or null
     */
    public AllocationException(String allocatorName, Layout layout, String reason, Throwable cause) {
        super("allocator '" + allocatorName + "' cannot allocate " + layout + ": " + reason, cause);
        this.allocatorName = Objects.requireNonNull(allocatorName, "allocatorName");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** {@return the layout that could not be allocated} */
    public Layout layout() {
        return layout;
    }

    /** {@return the name of the allocator that failed} */
    public String allocatorName() {
        return allocatorName;
    }
}
