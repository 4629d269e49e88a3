package org.allocator4j.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A fresh copy of allocator-api, loaded with some fixture jars by a class loader of its own, so that
 * every instance resolves the global allocator anew: its {@code GlobalResolver.Holder} is its own.
 * The test calls the copy's static {@link GlobalAllocator} methods by reflection.
 *
 * <p>{@link #onClassPath} puts the api's classes and the jars on a {@link URLClassLoader} whose parent
 * is the platform loader (so the test's own copy of the api is invisible); {@link #onModulePath} defines
 * them as named modules in a new {@link ModuleLayer} and enables native access for the api module, as
 * {@code --enable-native-access=org.allocator4j.api} would.
 */
abstract sealed class IsolatedApi implements AutoCloseable {
    static final String API_MODULE = "org.allocator4j.api";

    private final Class<?> globalAllocator;

    private IsolatedApi(ClassLoader loader) {
        try {
            this.globalAllocator = Class.forName(GlobalAllocator.class.getName(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the isolated loader does not see the api", e);
        }
        if (globalAllocator == GlobalAllocator.class) {
            throw new IllegalStateException("the isolated loader delegated to the test's own copy of the api");
        }
    }

    static IsolatedApi onClassPath(List<Path> jars) {
        return new ClassPath(jars);
    }

    static IsolatedApi onModulePath(List<Path> jars) {
        return new ModulePath(jars);
    }

    /** {@return the module of the isolated api: unnamed on the class path, {@value #API_MODULE} on the module path} */
    Module apiModule() {
        return globalAllocator.getModule();
    }

    /**
     * {@return the isolated {@code GlobalAllocator.global()}, called with {@value GlobalAllocator#GLOBAL_PROPERTY}
     * set to {@code property} (cleared if null)}
     *
     * @throws RuntimeException what {@code global()} throws (an isolated {@code AllocatorResolutionException})
     */
    Object global(String property) {
        return callStatic(property, "global");
    }

    /** {@return the isolated {@code GlobalAllocator.resolution()}, called with the property as for {@link #global}} */
    View resolution(String property) {
        return new View(callStatic(property, "resolution"));
    }

    /** Releases the loader's jars (class path) or nothing (a module layer goes with its loader). */
    @Override
    public abstract void close();

    /** {@return the isolated {@code GlobalAllocator.named(name)}} */
    Object named(String name) {
        return callStatic(null, "named", name);
    }

    /** {@return the isolated {@code GlobalAllocator.available()}} */
    List<?> available() {
        return (List<?>) callStatic(null, "available");
    }

    /** {@return the isolated {@code GlobalAllocator.system()}} */
    Object system() {
        return callStatic(null, "system");
    }

    /** {@return what the public static no-argument {@code method} of a fixture class returns} */
    Object callFixture(String className, String method) {
        try {
            Class<?> type = Class.forName(className, true, globalAllocator.getClassLoader());
            return invoke(type.getMethod(method), null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return {@code allocator.name()}, called through the isolated interface} */
    String nameOf(Object allocator) {
        return (String) invoke(interfaceMethod("name"), allocator);
    }

    /**
     * Allocates a 256-byte block aligned to 64 from {@code allocator}, writes and reads it back, frees it:
     * proof that the allocator works in the isolated JVM context (libc linked, native access granted).
     */
    void exercise(Object allocator) {
        try {
            Class<?> layoutType = Class.forName(Layout.class.getName(), true, globalAllocator.getClassLoader());
            Object layout = layoutType.getMethod("of", long.class, long.class).invoke(null, 256L, 64L);
            Method allocate = globalAllocator.getMethod("allocate", layoutType);
            Method deallocate = globalAllocator.getMethod("deallocate", MemorySegment.class, layoutType);
            MemorySegment block = (MemorySegment) invoke(allocate, allocator, layout);
            if (block.byteSize() != 256 || block.address() % 64 != 0) {
                throw new AssertionError("bad block " + block + " from " + allocator);
            }
            block.fill((byte) 0x3C);
            if (block.get(ValueLayout.JAVA_BYTE, 255) != 0x3C) {
                throw new AssertionError("block does not keep what was written: " + block);
            }
            invoke(deallocate, allocator, block, layout);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Method interfaceMethod(String name, Class<?>... parameters) {
        try {
            return globalAllocator.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object callStatic(String property, String method, Object... args) {
        Class<?>[] types = Stream.of(args).map(Object::getClass).toArray(Class<?>[]::new);
        Method target = interfaceMethod(method, types);
        String saved = System.getProperty(GlobalAllocator.GLOBAL_PROPERTY);
        setProperty(property);
        try {
            return invoke(target, null, args);
        } finally {
            setProperty(saved);
        }
    }

    private static void setProperty(String value) {
        if (value == null) {
            System.clearProperty(GlobalAllocator.GLOBAL_PROPERTY);
        } else {
            System.setProperty(GlobalAllocator.GLOBAL_PROPERTY, value);
        }
    }

    /** Invokes {@code method}, rethrowing what it throws as itself. */
    static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a record component or public no-argument method of an isolated object. */
    static Object read(Object target, String method) {
        try {
            return invoke(target.getClass().getMethod(method), target);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An isolated {@link Resolution}, read through reflection. */
    record View(Object resolution) {
        String outcome() {
            return read(resolution, "outcome").toString();
        }

        Optional<?> chosen() {
            return (Optional<?>) read(resolution, "chosen");
        }

        List<?> names() {
            return (List<?>) read(resolution, "names");
        }

        String report() {
            return (String) read(resolution, "report");
        }

        /** {@return each candidate as [name, providerClass, source, error]} */
        List<List<String>> candidates() {
            List<List<String>> result = new ArrayList<>();
            for (Object candidate : (List<?>) read(resolution, "candidates")) {
                result.add(Stream.of("name", "providerClass", "source", "error")
                        .map(c -> (String) read(candidate, c)).toList());
            }
            return result;
        }
    }

    private static final class ClassPath extends IsolatedApi {
        private final URLClassLoader loader;

        ClassPath(List<Path> jars) {
            this(new URLClassLoader("isolated-api", urls(jars), ClassLoader.getPlatformClassLoader()));
        }

        private ClassPath(URLClassLoader loader) {
            super(loader);
            this.loader = loader;
        }

        private static URL[] urls(List<Path> jars) {
            return Stream.concat(Stream.of(FixtureJars.apiClasses()), jars.stream()).map(path -> {
                try {
                    return path.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }

        @Override
        public void close() {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class ModulePath extends IsolatedApi {
        ModulePath(List<Path> jars) {
            super(defineLayer(jars));
        }

        @SuppressWarnings("restricted")
        private static ClassLoader defineLayer(List<Path> jars) {
            ModuleFinder finder = ModuleFinder.of(Stream.concat(Stream.of(FixtureJars.apiClasses()), jars.stream())
                    .toArray(Path[]::new));
            // resolveAndBind: the api module's `uses` pulls in every provider module the finder holds.
            Configuration configuration = ModuleLayer.boot().configuration()
                    .resolveAndBind(finder, ModuleFinder.of(), Set.of(API_MODULE));
            ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(
                    configuration, List.of(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader());
            Module api = controller.layer().findModule(API_MODULE).orElseThrow();
            // SAFETY: grants the isolated api module what --enable-native-access=org.allocator4j.api grants
            // in an application; the test JVM itself runs with --enable-native-access=ALL-UNNAMED.
            controller.enableNativeAccess(api);
            return controller.layer().findLoader(API_MODULE);
        }

        @Override
        public void close() {
            // A module layer is not closed; it is collected with its loader.
        }
    }
}
