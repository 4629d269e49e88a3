package org.allocator4j.compare.footprint;

/**
 * An allocator's own figure of the memory it holds (jemalloc's {@code stats.resident}, mimalloc's committed
 * bytes, glibc's {@code mallinfo2}): the second, labelled column beside the footprint, which is the worker's
 * resident memory ({@link ResidentMemory}) for every strategy alike. Each allocator counts differently, so
 * these figures are not comparable between rows. A probe never allocates native memory (it may allocate
 * on the Java heap, which a worker fixes and pre-touches); it is read on the replaying thread only.
 */
public interface FootprintProbe {
    /** The probe of a strategy that reports nothing. */
    FootprintProbe NONE = new FootprintProbe() {
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

    /** {@return what is measured, for the reports, e.g. {@code "jemalloc stats.resident"}} */
    String source();

    /** {@return the bytes held now, by the allocator's own count} */
    long bytes();

    /** {@return whether this probe measures anything; false only for {@link #NONE}} */
    default boolean available() {
        return true;
    }
}
