package org.allocator4j.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

import net.jqwik.api.Example;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * The conformance checks of a {@link GlobalAllocatorProvider}: implement it in a test class and return a
 * new instance of your provider.
 * {@snippet :
 * class MyProviderTest implements ProviderContract {
 *     @Override public GlobalAllocatorProvider provider() { return new MyProvider(); }
 * }
 * }
 * It checks that {@link ServiceLoader} finds the provider on the class path and, in a module layer built
 * from the provider's jar (or classes) and the API, on the module path; that its name is valid, unique
 * among the providers found, and stable; and that it creates working allocators bearing its name.
 * A failure is a {@link ContractViolation} of {@link Rule#PROVIDER}.
 */
public interface ProviderContract {

    /** {@return a new instance of the provider under test} */
    GlobalAllocatorProvider provider();

    /**
     * {@return more module-path entries the provider's module needs besides itself and the API}
     *
     * @implSpec The default returns an empty list.
     */
    default List<Path> modulePath() {
        return List.of();
    }

    /** The provider is found by {@link ServiceLoader} on the class path, exactly once under its name. */
    @Example
    default void serviceLoader_classPath_findsTheProviderOnce() {
        ProviderChecks.onClassPath(provider());
    }

    /** Its name is lower case without spaces, not {@code system}, and the same on every call and instance. */
    @Example
    default void name_everyCall_validAndStable() {
        GlobalAllocatorProvider provider = provider();
        String name = provider.name();
        Journal journal = new Journal(String.valueOf(name));
        if (name == null || !Pattern.matches("[a-z0-9][a-z0-9._-]*", name) || name.equals(GlobalAllocator.SYSTEM)) {
            throw journal.violation(Rule.PROVIDER, "name()=" + name + " of " + provider.getClass().getName()
                    + " is not a valid provider name; expected lower case letters, digits, '.', '_' or '-', not '"
                    + GlobalAllocator.SYSTEM + "'");
        }
        for (int i = 0; i < 3; i++) {
            String again = provider().name();
            String same = provider.name();
            if (!name.equals(again) || !name.equals(same)) {
                throw journal.violation(Rule.PROVIDER, "name() is not stable: '" + name + "', then '" + same
                        + "' from the same instance and '" + again + "' from a new one");
            }
        }
    }

    /** {@code create()} returns a new working allocator whose name is the provider's, on every call. */
    @Example
    default void create_calledTwice_freshWorkingAllocators() throws Exception {
        GlobalAllocatorProvider provider = provider();
        GlobalAllocator first = provider.create();
        GlobalAllocator second = provider.create();
        ProviderChecks.works(provider.name(), first);
        ProviderChecks.works(provider.name(), second);
        for (GlobalAllocator allocator : List.of(first, second)) {
            if (allocator instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** {@link GlobalAllocator#named(String)} and {@link GlobalAllocator#available()} know the provider. */
    @Example
    default void named_providerName_createsWorkingAllocator() {
        String name = provider().name();
        if (!GlobalAllocator.available().contains(name)) {
            throw new Journal(name).violation(Rule.PROVIDER, "GlobalAllocator.available()="
                    + GlobalAllocator.available() + " does not list '" + name + "'");
        }
        ProviderChecks.works(name, GlobalAllocator.named(name));
    }

    /** In a module layer of the provider and the API, {@link ServiceLoader} finds it and it works. */
    @Example
    default void serviceLoader_modulePath_findsTheProviderInAModuleLayer() throws Exception {
        ProviderLayer.check(provider(), modulePath());
    }
}
