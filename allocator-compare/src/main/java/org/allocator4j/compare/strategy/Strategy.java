package org.allocator4j.compare.strategy;

import java.util.Objects;
import java.util.function.Supplier;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.compare.footprint.FootprintProbe;

/**
 * A strategy {@code compare} replays a trace on: how to create a fresh allocator of it, and how to read its
 * footprint.
 *
 * @param name      the name in reports ({@code system}, {@code jemalloc}, a provider's name)
 * @param kind      where it comes from: {@code "built-in"}, {@code "native"} or {@code "provider"}
 * @param allocator creates a fresh allocator for one replay; if it is {@link AutoCloseable}, the replay
 *                  closes it when done
 * @param footprint reads the bytes the allocator holds from the OS or its parent
 */
public record Strategy(String name, String kind, Supplier<GlobalAllocator> allocator, FootprintProbe footprint) {
    /** Checks for nulls. */
    public Strategy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(footprint, "footprint");
    }

    /** {@return a strategy of {@code allocator} (shared by every replay) with no footprint probe}, for tests */
    public static Strategy of(GlobalAllocator allocator) {
        return new Strategy(allocator.name(), "given", () -> allocator, FootprintProbe.NONE);
    }
}
