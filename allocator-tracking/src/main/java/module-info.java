/**
 * allocator4j's tracking decorator: statistics, leak sites, checked mode, budgets, listeners, JFR and JMX
 * over any {@link org.allocator4j.api.GlobalAllocator}. See {@link org.allocator4j.tracking.Tracking}.
 *
 * <p>JUnit is an optional, compile-time-only dependency ({@code requires static}): only
 * {@link org.allocator4j.tracking.LeakCheckExtension} uses it, and only tests load that class.
 */
module org.allocator4j.tracking {
    requires transitive org.allocator4j.api;
    requires org.allocator4j.trace;
    requires jdk.jfr;
    requires java.management;
    requires static transitive org.junit.jupiter.api;

    exports org.allocator4j.tracking;

    provides org.allocator4j.spi.GlobalAllocatorProvider with org.allocator4j.tracking.TrackingProvider;
}
