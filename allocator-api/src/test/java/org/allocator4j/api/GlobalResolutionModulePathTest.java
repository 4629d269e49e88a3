package org.allocator4j.api;

import java.util.List;

/**
 * {@link GlobalResolutionContract} with the api and the provider jars as named modules in a module layer
 * of their own: providers are found through their {@code module-info}'s {@code provides}.
 */
class GlobalResolutionModulePathTest extends GlobalResolutionContract {

    @Override
    IsolatedApi open(String... fixtures) {
        return IsolatedApi.onModulePath(FixtureJars.jars(fixtures));
    }

    @Override
    List<String> sourceMentions(String fixture) {
        return List.of("module org.allocator4j.fixture." + fixture + " in ", FixtureJars.fileName(fixture));
    }
}
