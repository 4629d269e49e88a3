package org.allocator4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory, from Linux's {@code /proc/self/statm}: what the reuse check observes
 * from outside the allocator, so it holds for allocators that report nothing.
 */
final class ResidentMemory {
    static final Path STATM = Path.of("/proc/self/statm");
    /** statm counts pages; 4 KiB is every Linux page size this runs on unless it says otherwise. */
    private static final long PAGE_SIZE = Long.getLong("allocator4j.testkit.pageSize", 4096);

    private ResidentMemory() {
    }

    static boolean isAvailable() {
        return Files.isReadable(STATM);
    }

    /** {@return the resident set size in bytes} */
    static long bytes() {
        try {
            String[] fields = Files.readString(STATM).strip().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATM, e);
        }
    }
}
