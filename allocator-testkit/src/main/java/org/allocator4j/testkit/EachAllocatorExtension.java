package org.allocator4j.testkit;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.TestAbortedException;

import org.allocator4j.api.GlobalAllocator;

/**
 * The extension behind {@link AllocatorTest}: one invocation per name of
 * {@link GlobalAllocator#available()}, each resolving {@link GlobalAllocator} parameters to a fresh
 * {@link GlobalAllocator#named(String)} allocator, which the extension store closes after the invocation
 * if it is {@link AutoCloseable}. A failure's message starts with {@code [name]}, the allocator's name, as
 * the invocation's display name does.
 */
public final class EachAllocatorExtension implements TestTemplateInvocationContextProvider {

    /** Creates the extension; JUnit does, through {@link AllocatorTest}. */
    public EachAllocatorExtension() {
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(method -> method.isAnnotationPresent(AllocatorTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return GlobalAllocator.available().stream().map(Invocation::new);
    }

    /** One allocator's invocation. */
    private record Invocation(String allocatorName) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + allocatorName + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new AllocatorResolver(allocatorName), new NamingFailures(allocatorName));
        }
    }

    /**
     * Puts the allocator's name in front of a failure's message: build tools that print the invocation's
     * legacy name ({@code [2]}, as surefire's console does) show {@code [slab] ...} in the failure itself.
     * Aborted invocations (failed assumptions) pass unchanged.
     */
    private record NamingFailures(String allocatorName) implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            if (thrown instanceof TestAbortedException) {
                throw thrown;
            }
            throw new AssertionError("[" + allocatorName + "] " + context.getRequiredTestMethod().getName()
                    + " failed with allocator '" + allocatorName + "': " + thrown, thrown);
        }
    }

    /** Resolves {@link GlobalAllocator} parameters to one fresh allocator per invocation. */
    private record AllocatorResolver(String allocatorName) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == GlobalAllocator.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            ExtensionContext.Store store = context.getStore(
                    ExtensionContext.Namespace.create(EachAllocatorExtension.class, context.getUniqueId()));
            return store.getOrComputeIfAbsent(allocatorName, Opened::new, Opened.class).allocator();
        }
    }

    /** An allocator the store closes after the invocation, if it can be closed. */
    private record Opened(GlobalAllocator allocator) implements AutoCloseable {
        Opened(String name) {
            this(GlobalAllocator.named(name));
        }

        @Override
        public void close() {
            if (allocator instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("closing allocator '" + allocator.name() + "' failed", e);
                }
            }
        }
    }
}
