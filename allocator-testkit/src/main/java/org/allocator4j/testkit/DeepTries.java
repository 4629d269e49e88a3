package org.allocator4j.testkit;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Raises every property of the contract to {@value #DEEP_TRIES} tries at the {@link TestLevel#DEEP deep}
 * level, so that {@code -Dallocator4j.testkit.level=deep} alone selects the deep level, whatever jqwik's
 * own {@code jqwik.tries.default} says. At the default level jqwik's configuration is left alone.
 */
final class DeepTries implements AroundPropertyHook {
    static final int DEEP_TRIES = 10_000;

    DeepTries() {
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (TestLevel.current() == TestLevel.DEEP
                && context.attributes().tries().map(tries -> tries < DEEP_TRIES).orElse(true)) {
            context.attributes().setTries(DEEP_TRIES);
        }
        return property.execute();
    }
}
