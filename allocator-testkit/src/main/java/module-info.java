/**
 * allocator4j's conformance suite: implement {@link org.allocator4j.testkit.AllocatorContract} in a test
 * class and every law of {@link org.allocator4j.api.GlobalAllocator} is checked against your allocator.
 */
module org.allocator4j.testkit {
    requires transitive org.allocator4j.api;
    requires transitive org.junit.jupiter.api;
    requires transitive net.jqwik.api;
    requires com.google.common;
    requires java.management;

    exports org.allocator4j.testkit;

    uses org.allocator4j.spi.GlobalAllocatorProvider;
}
