package org.allocator4j.spi;

import org.allocator4j.api.GlobalAllocator;

/**
 * A strategy that can be installed as the global allocator.
 *
 * <p>A strategy registers one implementation under {@code META-INF/services/} and, for the module path,
 * with {@code provides org.allocator4j.spi.GlobalAllocatorProvider with ...} in its {@code module-info}.
 * {@link GlobalAllocator#global()} finds it through {@link java.util.ServiceLoader}.
 *
 * <p>Implementations have a public no-argument constructor that is cheap and has no side effects:
 * resolution instantiates every provider it finds to learn its name, but creates an allocator only from
 * the one it chooses. A provider whose constructor or {@link #name()} throws (an {@link Error} included)
 * is reported as broken and ignored.
 */
public interface GlobalAllocatorProvider {

    /**
     * {@return the stable, unique name of the strategy} It is what {@code -Dallocator4j.global=NAME}
     * matches and what error messages show: lower case, no spaces (e.g. {@code "slab"}). It must be the
     * same on every call and in every release, and not {@value GlobalAllocator#SYSTEM}, which is built in.
     */
    String name();

    /**
     * Creates the allocator. Called at most once per JVM by global resolution, and only on the chosen
     * provider; tests may call it more often to get fresh allocators.
     *
     * <p>It must not call {@link GlobalAllocator#global()}: the global allocator is not chosen until it
     * returns (that call throws, and resolution fails naming this provider). Nor may it wait for another
     * thread that calls {@code global()}, which waits for it. It may use {@link GlobalAllocator#system()}
     * or {@link GlobalAllocator#named(String)} of another provider.
     *
     * @implSpec A bad setting is reported by throwing {@link IllegalArgumentException} whose message
     * names the setting and its value and says what was expected: resolution puts that message in its
     * headline ({@code provider 'NAME' failed to create its allocator: MESSAGE}).
     *
     * @return a new allocator, never null, whose {@link GlobalAllocator#name()} is {@link #name()}
     *         (resolution fails otherwise)
     */
    GlobalAllocator create();
}
