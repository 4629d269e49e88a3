package org.allocator4j.api;

import java.util.List;

/** {@link GlobalResolutionContract} with the api and the provider jars on a class path of their own. */
class GlobalResolutionClassPathTest extends GlobalResolutionContract {

    @Override
    IsolatedApi open(String... fixtures) {
        return IsolatedApi.onClassPath(FixtureJars.jars(fixtures));
    }

    @Override
    List<String> sourceMentions(String fixture) {
        return List.of(FixtureJars.fileName(fixture));
    }
}
