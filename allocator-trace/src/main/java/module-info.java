/**
 * allocator4j's allocation trace formats, read and written as streams: see {@link org.allocator4j.trace}.
 * Depends on nothing beyond {@code java.base}.
 */
module org.allocator4j.trace {
    exports org.allocator4j.trace;
}
