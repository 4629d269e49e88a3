package org.allocator4j.compare.replay;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.allocator4j.api.GlobalAllocator;

/**
 * What a worker's replay needs of its strategy.
 *
 * @param name                its name in reports
 * @param kind                {@code built-in}, {@code native} or {@code provider}
 * @param version             its library's version, or "" if it reports none
 * @param allocator           creates an allocator; a strategy with one shared instance returns it every time
 * @param ownSource           what {@code own} measures, for the reports
 * @param own                 the allocator's own figure of the memory it holds, or null if it has none; may
 *                            allocate on the Java heap, never natively
 * @param release             asks the allocator to give the free memory it holds back to the OS
 * @param releaseDescription  what {@code release} does, for the reports
 */
record Subject(String name, String kind, String version, Supplier<GlobalAllocator> allocator,
                      String ownSource, LongSupplier own, Runnable release, String releaseDescription) {
    /** Checks for nulls ({@code own} may be null). */
    Subject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(ownSource, "ownSource");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(releaseDescription, "releaseDescription");
    }
}
