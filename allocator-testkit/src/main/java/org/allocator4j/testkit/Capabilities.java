package org.allocator4j.testkit;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.allocator4j.api.AllocatorMisuseException.Kind;

/**
 * What an allocator under test promises, so that each check of {@link AllocatorContract} runs exactly where
 * it applies and is reported as skipped, with the reason, where it does not.
 *
 * <p>Start from {@link #standard()} and change what differs:
 * {@snippet :
 * Capabilities.standard()
 *         .withFreeing(Freeing.LAST_ONLY)       // a bump arena
 *         .confinedToOneThread()
 *         .withMaxSize(1 << 20)
 *         .overParent();                        // built on a parent allocator
 * }
 *
 * @param freeing      what deallocation does
 * @param detects      the misuse a checked mode reports with {@link org.allocator4j.api.AllocatorMisuseException}
 *                     (empty: misuse is undefined behaviour, nothing is checked)
 * @param threadSafe   whether every method may be called from any thread and blocks freed by another thread
 * @param maxSize      the largest block size the allocator promises to provide (properties ask at most this)
 * @param maxAlignment the largest alignment it promises to honour, a power of two
 * @param takesParent  whether it is built over a parent allocator it takes in
 *                     {@link AllocatorContract#newAllocator(org.allocator4j.api.GlobalAllocator)}
 */
public record Capabilities(Freeing freeing, Set<Kind> detects, boolean threadSafe, long maxSize,
                           long maxAlignment, boolean takesParent) {

    /** The default {@link #maxSize()}: 1 GiB. */
    public static final long DEFAULT_MAX_SIZE = 1L << 30;
    /** The default {@link #maxAlignment()}: 1 MiB. */
    public static final long DEFAULT_MAX_ALIGNMENT = 1L << 20;

    /**
     * Validates the capabilities.
     *
     * @throws IllegalArgumentException if {@code maxSize < 1}, or {@code maxAlignment} is not a power of two
     * @throws NullPointerException     if {@code freeing} or {@code detects} is null
     */
    public Capabilities {
        Objects.requireNonNull(freeing, "freeing");
        detects = detects.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(detects));
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize=" + maxSize + " is not positive; expected maxSize >= 1");
        }
        if (maxAlignment < 1 || (maxAlignment & (maxAlignment - 1)) != 0) {
            throw new IllegalArgumentException("maxAlignment=" + maxAlignment + " is not a power of two >= 1");
        }
    }

    /**
     * {@return what a general-purpose allocator such as {@code system} promises} It frees individually,
     * is thread-safe, detects no misuse, provides {@value #DEFAULT_MAX_SIZE} bytes and
     * {@value #DEFAULT_MAX_ALIGNMENT}-byte alignment, and takes no parent.
     */
    public static Capabilities standard() {
        return new Capabilities(Freeing.INDIVIDUALLY, Set.of(), true, DEFAULT_MAX_SIZE, DEFAULT_MAX_ALIGNMENT, false);
    }

    /** {@return these capabilities with {@code freeing}} @param freeing what deallocation does */
    public Capabilities withFreeing(Freeing freeing) {
        return new Capabilities(freeing, detects, threadSafe, maxSize, maxAlignment, takesParent);
    }

    /** {@return these capabilities, detecting {@code kinds} of misuse} @param kinds what a checked mode reports */
    public Capabilities withDetection(Kind... kinds) {
        return new Capabilities(freeing, Set.of(kinds), threadSafe, maxSize, maxAlignment, takesParent);
    }

    /** {@return these capabilities for an allocator confined to the thread that uses it} */
    public Capabilities confinedToOneThread() {
        return new Capabilities(freeing, detects, false, maxSize, maxAlignment, takesParent);
    }

    /** {@return these capabilities with {@code maxSize}} @param maxSize the largest block size provided */
    public Capabilities withMaxSize(long maxSize) {
        return new Capabilities(freeing, detects, threadSafe, maxSize, maxAlignment, takesParent);
    }

    /** {@return these capabilities with {@code maxAlignment}} @param maxAlignment the largest alignment honoured */
    public Capabilities withMaxAlignment(long maxAlignment) {
        return new Capabilities(freeing, detects, threadSafe, maxSize, maxAlignment, takesParent);
    }

    /**
     * {@return these capabilities for an allocator built over a parent} The contract then also runs the
     * failure-injection check through {@link AllocatorContract#newAllocator(org.allocator4j.api.GlobalAllocator)}.
     */
    public Capabilities overParent() {
        return new Capabilities(freeing, detects, threadSafe, maxSize, maxAlignment, true);
    }
}
