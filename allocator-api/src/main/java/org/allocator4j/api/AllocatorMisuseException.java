package org.allocator4j.api;

import java.util.Objects;

/**
 * Thrown by an allocator that promises to detect misuse (a checked mode, a scoped arena) when a caller
 * breaks the contract: freeing twice, freeing a block the allocator never gave out, freeing with another
 * layout than the block was allocated with, or writing outside a block.
 *
 * <p>In the fast path such misuse is undefined behaviour, as in Rust; only allocators that document a
 * checked mode throw this. When thrown, the misused block was not passed to any underlying allocator.
 */
public class AllocatorMisuseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The rule of the contract that a caller broke. */
    public enum Kind {
        /** A block freed a second time. */
        DOUBLE_FREE,
        /** A segment this allocator never handed out, or not the start of one. */
        FOREIGN_BLOCK,
        /** A block freed or reallocated with another layout than it was allocated with. */
        LAYOUT_MISMATCH,
        /** Bytes written outside a block (a red zone was overwritten). */
        OVERRUN,
        /** Freed memory written to before it was allocated again (poison overwritten). */
        USE_AFTER_FREE,
        /** A scope, frame or arena closed out of order, twice, or from the wrong thread. */
        SCOPE
    }

    /** @serial the broken rule */
    private final Kind kind;
    /** @serial the name of the allocator that detected it */
    private final String allocatorName;

    /**
     * Creates an exception whose message is {@code "<kind> detected by allocator '<name>': <detail>"}.
     *
     * @param kind          the broken rule
     * @param allocatorName the name of the allocator that detected it
     * @param detail        the block, layout(s) and sites involved
     */
    public AllocatorMisuseException(Kind kind, String allocatorName, String detail) {
        super(kind + " detected by allocator '" + allocatorName + "': " + detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.allocatorName = Objects.requireNonNull(allocatorName, "allocatorName");
    }

    /** {@return the rule that was broken} */
    public Kind kind() {
        return kind;
    }

    /** {@return the name of the allocator that detected the misuse} */
    public String allocatorName() {
        return allocatorName;
    }
}
