package org.allocator4j.testkit;

import java.util.Optional;

/**
 * A check that an allocator of this project is known to fail because of a bug of the allocator (not of
 * the check): the pair is skipped, the reason naming the bug, until the allocator is fixed and the entry
 * removed. Every other allocator, and every other check of this one, runs as usual.
 */
enum KnownFailure {
    /**
     * Checked tracking forgets a freed block when it leaves the quarantine ({@code CheckedBlocks.release}
     * removes it from the free history), so a second free after 1 MiB of other frees is reported as
     * {@code FOREIGN_BLOCK}, not {@code DOUBLE_FREE}.
     */
    TRACKING_DOUBLE_FREE_AFTER_QUARANTINE("tracking", "deallocate_twiceAfterOtherFrees_throwsDoubleFree",
            "checked tracking drops a block from its free history when it leaves the quarantine, so a double free"
                    + " after 1 MiB of other frees is reported as FOREIGN_BLOCK");

    private final String allocatorName;
    private final String check;
    private final String bug;

    KnownFailure(String allocatorName, String check, String bug) {
        this.allocatorName = allocatorName;
        this.check = check;
        this.bug = bug;
    }

    /** {@return the known failure of {@code check} for the allocator named {@code allocatorName}, if any} */
    static Optional<KnownFailure> of(String allocatorName, String check) {
        for (KnownFailure failure : values()) {
            if (failure.allocatorName.equals(allocatorName) && failure.check.equals(check)) {
                return Optional.of(failure);
            }
        }
        return Optional.empty();
    }

    /** {@return the skip reason} */
    String reason() {
        return "KNOWN FAILURE " + name() + " of allocator '" + allocatorName + "': " + bug;
    }
}
