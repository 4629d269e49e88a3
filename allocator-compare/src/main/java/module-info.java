/**
 * allocator4j's {@code compare}: an allocation trace replayed on every strategy, and on glibc, jemalloc and
 * mimalloc, each in a fresh worker process; see {@link org.allocator4j.compare.Compare}.
 */
@SuppressWarnings("requires-automatic") // HdrHistogram 2.2.2's jar names no module: its file name does
module org.allocator4j.compare {
    requires transitive org.allocator4j.api;
    requires transitive org.allocator4j.trace;
    requires org.allocator4j.tracking;
    requires java.management;
    requires info.picocli;
    requires HdrHistogram;
    requires com.fasterxml.jackson.core;

    exports org.allocator4j.compare;
    exports org.allocator4j.compare.input;
    exports org.allocator4j.compare.replay;
    exports org.allocator4j.compare.strategy;
    exports org.allocator4j.compare.footprint;
    exports org.allocator4j.compare.report;

    // picocli reads and sets the annotated fields of the command.
    opens org.allocator4j.compare to info.picocli;

    uses org.allocator4j.spi.GlobalAllocatorProvider;
}
