package org.allocator4j.compare.footprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads how many bytes an allocator holds from the operating system or from its parent: its footprint.
 * The replay reads it before the first event (the baseline) and at every sample, and reports the
 * difference. Probes are called from the replaying thread only.
 */
public interface FootprintProbe {
    /** glibc's smallest mmap threshold: blocks this large may get an mmapped chunk each. */
    public long LARGE_BLOCK = 128 * 1024;

    /** The probe of a strategy that reports nothing. */
    public FootprintProbe NONE = new FootprintProbe() {
        @Override
        public String source() {
            return "n/a";
        }

        @Override
        public long bytes() {
            return 0;
        }

        @Override
        public boolean available() {
            return false;
        }
    };

    /** {@return what is measured, for the report, e.g. {@code "mallinfo2 arena+hblkhd"}} */
    public String source();

    /** {@return the bytes held now} */
    public long bytes();

    /**
     * {@return the bytes held now, knowing that the replay has {@code liveLargeBytes} live in blocks of at
     * least {@link #LARGE_BLOCK} bytes (rounded up to pages)}, which a malloc may have mapped one by one
     *
     * @implSpec The default returns {@link #bytes()}.
     */
    default long bytes(long liveLargeBytes) {
        return bytes();
    }

    /**
     * {@return the bytes to subtract from every reading of one replay, read just before it starts}
     *
     * @implSpec The default returns {@link #bytes()}.
     */
    default long baseline() {
        return bytes();
    }

    /** {@return whether this probe measures anything; false only for {@link #NONE}} */
    default boolean available() {
        return true;
    }

    /**
     * {@return the process's resident set size from {@code /proc/self/statm}}, or {@link #NONE} where that
     * file does not exist (not Linux). Process-wide: it includes the JVM's own memory.
     */
    public static FootprintProbe rss() {
        Path statm = Path.of("/proc/self/statm");
        if (!Files.isReadable(statm)) {
            return NONE;
        }
        long pageSize = GlibcMalloc.pageSize();
        return new FootprintProbe() {
            @Override
            public String source() {
                return "RSS (/proc/self/statm)";
            }

            @Override
            public long bytes() {
                try {
                    String[] fields = Files.readString(statm).trim().split(" ");
                    return Long.parseLong(fields[1]) * pageSize;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + statm, e);
                }
            }
        };
    }
}
