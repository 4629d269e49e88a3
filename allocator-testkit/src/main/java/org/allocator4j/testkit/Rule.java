package org.allocator4j.testkit;

/**
 * The rules {@link AllocatorContract} checks. Every failure of the contract is a {@link ContractViolation}
 * whose message starts with {@code rule=<NAME>}, so a failure says which rule broke.
 */
public enum Rule {
    /** {@code allocate} returns exactly {@code layout.size()} bytes. */
    EXACT_SIZE("a block has exactly layout.size() bytes"),
    /** The address is a multiple of {@code layout.alignment()}. */
    ALIGNMENT("a block's address is a multiple of layout.alignment()"),
    /** A block is native memory, and its bytes are at its address. */
    NATIVE("a block is native memory (isNative()) and its bytes are at its address"),
    /** No two live blocks overlap. */
    NO_OVERLAP("no two live blocks overlap"),
    /** A live block keeps its contents while other blocks come and go. */
    INTEGRITY("a live block keeps its contents while other blocks are allocated, reallocated and freed"),
    /** {@code allocateZeroed} returns zeros, also over freed and dirtied memory. */
    ZEROED("allocateZeroed returns zeros, also over memory just freed and dirtied"),
    /** {@code reallocate} keeps the contents up to the smaller size. */
    REALLOC_CONTENTS("reallocate keeps the contents up to min(old size, new size)"),
    /** A failed {@code reallocate} leaves the old block untouched and owned by the caller. */
    REALLOC_FAILURE("a failed reallocate leaves the old block untouched and owned by the caller"),
    /** The zero-size rule of {@link org.allocator4j.api.GlobalAllocator}. */
    ZERO_SIZE("a zero-size request returns layout.dangling(); freeing it does nothing; realloc to 0 frees"),
    /** Impossible requests throw {@link org.allocator4j.api.AllocationException} naming layout and allocator. */
    FAILURE_EXCEPTION("an impossible request throws AllocationException naming the layout and the allocator"),
    /** After a failure the allocator keeps working. */
    USABLE_AFTER_FAILURE("after a failed request the allocator keeps working"),
    /** A steady alloc/free loop does not grow the process's memory without bound. */
    REUSE_BOUNDED("a steady allocate/free loop does not grow resident memory without bound"),
    /** A parent's failure propagates as an {@code AllocationException} and leaks nothing. */
    FAILURE_INJECTION("a failure of the parent propagates as AllocationException and leaks nothing"),
    /** Every byte taken from the source comes back; memory plateaus in a steady run. */
    ACCOUNTING("every byte taken from the parent or the process comes back: memory plateaus in a steady run and nothing is held after close"),
    /** Genuine exhaustion throws {@code AllocationException} naming the allocator, which serves again after frees. */
    EXHAUSTION("an exhausted allocator throws AllocationException naming itself and serves again once its blocks are freed"),
    /** {@code asSegmentAllocator()} and {@code openArena()} keep the laws of the blocks they hand out. */
    DEFAULT_METHODS("asSegmentAllocator() and openArena() give exact, aligned, disjoint native blocks with the documented lifetime"),
    /** The allocator works from many threads at once, with cross-thread frees. */
    THREAD_SAFETY("every method may be called from any thread; blocks may be freed by another thread"),
    /** A checked mode reports declared misuse with the right {@code AllocatorMisuseException.Kind}. */
    MISUSE_DETECTED("a checked mode reports misuse with AllocatorMisuseException of the right kind"),
    /** A provider is found, named uniquely and stably, and creates a working allocator. */
    PROVIDER("a provider is found by ServiceLoader, has a unique stable name, creates a working allocator");

    private final String description;

    Rule(String description) {
        this.description = description;
    }

    /** {@return what the rule says, in one line} */
    public String description() {
        return description;
    }
}
