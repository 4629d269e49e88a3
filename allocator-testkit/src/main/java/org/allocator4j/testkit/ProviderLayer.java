package org.allocator4j.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * The module-path check of {@link ProviderContract}: a {@link ModuleLayer} over the allocator API and the
 * provider's jar (or its classes, packed into a temporary jar, an automatic module), with native access,
 * in which {@link ServiceLoader} must find the provider as a named module's service. Everything in the
 * layer is reached by reflection, since its classes are not the class path's.
 */
final class ProviderLayer {
    private static final String API_MODULE = "org.allocator4j.api";

    private ProviderLayer() {
    }

    static void check(GlobalAllocatorProvider provider, List<Path> extraModulePath) throws Exception {
        Journal journal = new Journal(provider.name());
        Path temporary = Files.createTempDirectory("allocator4j-provider-layer");
        try {
            List<Path> paths = new ArrayList<>();
            paths.add(asModule(location(GlobalAllocator.class), temporary, "allocator4j-api.jar"));
            paths.add(asModule(location(provider.getClass()), temporary, "allocator4j-provider-under-test.jar"));
            paths.addAll(extraModulePath);
            ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
            Set<String> roots = finder.findAll().stream().map(ModuleReference::descriptor)
                    .map(java.lang.module.ModuleDescriptor::name).collect(Collectors.toSet());
            Configuration configuration = ModuleLayer.boot().configuration()
                    .resolveAndBind(finder, ModuleFinder.of(), roots);
            ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(
                    configuration, List.of(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader());
            NativeAccess.enable(controller);
            ModuleLayer layer = controller.layer();
            ClassLoader loader = layer.findLoader(API_MODULE);
            Class<?> spi = Class.forName(GlobalAllocatorProvider.class.getName(), true, loader);
            List<Object> found = providers(layer, spi).stream()
                    .filter(p -> p.type().getName().equals(provider.getClass().getName()))
                    .filter(p -> p.type().getModule().getLayer() == layer)
                    .map(ServiceLoader.Provider::get)
                    .map(Object.class::cast)
                    .toList();
            if (found.size() != 1) {
                throw journal.violation(Rule.PROVIDER, "ServiceLoader found " + found.size() + " providers of type "
                        + provider.getClass().getName() + " in a module layer of " + roots + " (from " + paths
                        + "); expected exactly 1 (does module-info say 'provides " + GlobalAllocatorProvider.class.getName()
                        + " with " + provider.getClass().getName() + "'?)");
            }
            Object instance = found.get(0);
            String name = (String) spi.getMethod("name").invoke(instance);
            if (!provider.name().equals(name)) {
                throw journal.violation(Rule.PROVIDER, "on the module path name()='" + name + "'; on the class path '"
                        + provider.name() + "'");
            }
            works(journal, loader, spi.getMethod("create").invoke(instance), name, instance.getClass().getModule());
        } catch (InvocationTargetException e) {
            throw journal.violation(Rule.PROVIDER, "on the module path the provider threw " + e.getCause(), e.getCause());
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static void works(Journal journal, ClassLoader loader, Object allocator, String name, Module module)
            throws ReflectiveOperationException {
        Class<?> allocatorType = Class.forName(GlobalAllocator.class.getName(), true, loader);
        Class<?> layoutType = Class.forName(org.allocator4j.api.Layout.class.getName(), true, loader);
        Object layout = layoutType.getMethod("of", long.class, long.class).invoke(null, 64L, 16L);
        String actualName = (String) allocatorType.getMethod("name").invoke(allocator);
        if (!name.equals(actualName)) {
            throw journal.violation(Rule.PROVIDER, "on the module path create() returned an allocator named '"
                    + actualName + "'; expected '" + name + "'");
        }
        MemorySegment block = (MemorySegment) allocatorType.getMethod("allocate", layoutType).invoke(allocator, layout);
        block.set(ValueLayout.JAVA_LONG, 56, 42L);
        if (block.byteSize() != 64 || block.address() % 16 != 0 || block.get(ValueLayout.JAVA_LONG, 56) != 42L) {
            throw journal.violation(Rule.PROVIDER, "in " + module + " the allocator returned " + block + " for " + layout);
        }
        allocatorType.getMethod("deallocate", MemorySegment.class, layoutType).invoke(allocator, block, layout);
        if (allocator instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw journal.violation(Rule.PROVIDER, "closing the module path's allocator threw " + e, e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> List<ServiceLoader.Provider<S>> providers(ModuleLayer layer, Class<S> service) {
        return ServiceLoader.load(layer, service).stream().toList();
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        var codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null) {
            throw new IllegalStateException(type.getName() + " has no code source: cannot put it on a module path");
        }
        return Path.of(codeSource.getLocation().toURI());
    }

    /** A jar or an exploded module as it is; a directory of classes packed into an automatic-module jar. */
    private static Path asModule(Path location, Path temporary, String jarName) throws IOException {
        if (Files.isRegularFile(location) || Files.exists(location.resolve("module-info.class"))) {
            return location;
        }
        Path jar = temporary.resolve(jarName);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
             Stream<Path> files = Files.walk(location)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(new JarEntry(location.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
