package org.allocator4j.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.allocator4j.api.Resolution.Candidate;
import org.allocator4j.api.Resolution.Outcome;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * Chooses the global allocator: the property, then {@link ServiceLoader}, then {@code system}.
 * Package-private so that tests can resolve from a class loader of their own.
 */
final class GlobalResolver {
    private static final System.Logger LOG = System.getLogger("org.allocator4j");
    /** Bounds the iteration over a ServiceLoader that keeps failing on a broken configuration file. */
    private static final int MAX_CONFIGURATION_ERRORS = 64;

    private GlobalResolver() {
    }

    /** Resolved on first use of {@link #global()}; class initialisation makes it lazy and thread-safe. */
    private static final class Holder {
        static final Resolved RESOLVED = resolveAndCreate(
                GlobalAllocator.class.getClassLoader(), System.getProperty(GlobalAllocator.GLOBAL_PROPERTY));
    }

    /** An allocator, or the failure that every call of {@code global()} reports again. */
    private record Resolved(GlobalAllocator allocator, Resolution resolution, Throwable cause) {
        GlobalAllocator get() {
            if (allocator == null) {
                throw new AllocatorResolutionException(resolution, cause);
            }
            return allocator;
        }
    }

    static GlobalAllocator global() {
        return Holder.RESOLVED.get();
    }

    private static Resolved resolveAndCreate(ClassLoader loader, String property) {
        Resolution resolution = resolveFrom(loader, property);
        if (resolution.candidates().stream().anyMatch(c -> !c.loaded())) {
            LOG.log(Level.WARNING, resolution.report());
        }
        try {
            return new Resolved(instantiate(resolution), resolution, null);
        } catch (AllocatorResolutionException e) {
            return new Resolved(null, resolution, e.getCause());
        }
    }

    static GlobalAllocator create(ClassLoader loader, String name) {
        java.util.Objects.requireNonNull(name, "name");
        return instantiate(resolveFrom(loader, name).requestedBy("GlobalAllocator.named(\"" + name + "\")"));
    }

    /**
     * {@return the allocator {@code resolution} chooses: {@code system}, or a new one from the chosen
     * provider}
     *
     * @throws AllocatorResolutionException if it chooses none, or the provider's {@code create()} fails
     *                                      (then with that failure as the cause)
     */
    private static GlobalAllocator instantiate(Resolution resolution) {
        if (!resolution.outcome().chooses()) {
            throw new AllocatorResolutionException(resolution, null);
        }
        GlobalAllocatorProvider provider = resolution.chosenProvider();
        if (provider == null) {
            return GlobalAllocator.system();
        }
        try {
            return provider.create();
        } catch (RuntimeException | LinkageError e) {
            throw new AllocatorResolutionException(resolution, e);
        }
    }

    /**
     * Finds every provider visible to {@code loader} and decides, creating no allocator.
     *
     * @param loader   the class loader whose providers (class path and module layers) count
     * @param property the value of {@value GlobalAllocator#GLOBAL_PROPERTY}, or null
     */
    static Resolution resolveFrom(ClassLoader loader, String property) {
        List<Candidate> candidates = new ArrayList<>();
        List<GlobalAllocatorProvider> instances = new ArrayList<>();
        find(loader, candidates, instances);

        String wanted = property == null || property.isBlank() ? null : property.strip();
        if (wanted == null) {
            return switch (instances.size()) {
                case 0 -> new Resolution(Outcome.SYSTEM_DEFAULT, GlobalAllocator.SYSTEM, null, candidates, null);
                case 1 -> new Resolution(Outcome.SINGLE_PROVIDER, instances.get(0).name(), null, candidates,
                        instances.get(0));
                default -> new Resolution(Outcome.CONFLICT, null, null, candidates, null);
            };
        }
        if (wanted.equals(GlobalAllocator.SYSTEM)) {
            return new Resolution(Outcome.PROPERTY, GlobalAllocator.SYSTEM, wanted, candidates, null);
        }
        List<GlobalAllocatorProvider> named = instances.stream().filter(p -> p.name().equals(wanted)).toList();
        return switch (named.size()) {
            case 0 -> new Resolution(Outcome.UNKNOWN_NAME, null, wanted, candidates, null);
            case 1 -> new Resolution(Outcome.PROPERTY, wanted, wanted, candidates, named.get(0));
            // Two jars claiming one name: choosing either would be a guess.
            default -> new Resolution(Outcome.CONFLICT, null, wanted, candidates, null);
        };
    }

    private static void find(ClassLoader loader, List<Candidate> candidates,
                             List<GlobalAllocatorProvider> instances) {
        // stream(): the provider classes are known before any is instantiated, so a broken one is named.
        Iterator<ServiceLoader.Provider<GlobalAllocatorProvider>> found =
                ServiceLoader.load(GlobalAllocatorProvider.class, loader).stream().iterator();
        Map<String, String> declared = null;
        int errors = 0;
        while (true) {
            ServiceLoader.Provider<GlobalAllocatorProvider> provider;
            try {
                if (!found.hasNext()) {
                    return;
                }
                provider = found.next();
            } catch (ServiceConfigurationError e) {
                // A provider class that is missing or not a GlobalAllocatorProvider: report it, go on. The
                // error names the class only in its message; where it was declared tells the jar.
                if (declared == null) {
                    declared = declaredProviders(loader);
                }
                String message = String.valueOf(e.getMessage());
                Map.Entry<String, String> declaration = declared.entrySet().stream()
                        .filter(d -> message.contains(d.getKey())).findFirst().orElse(null);
                addOnce(candidates, declaration == null
                        ? new Candidate(null, "?", "unknown source", describe(e))
                        : new Candidate(null, declaration.getKey(), declaration.getValue(), describe(e)));
                if (++errors >= MAX_CONFIGURATION_ERRORS) {
                    return;
                }
                continue;
            }
            Class<?> type = provider.type();
            String source = sourceOf(type);
            try {
                GlobalAllocatorProvider instance = provider.get();
                String name = instance.name();
                if (name == null || name.isBlank() || name.equals(GlobalAllocator.SYSTEM)) {
                    addOnce(candidates, new Candidate(name, type.getName(), source, "name()=" + name
                            + " is not a valid provider name (non-blank, not '" + GlobalAllocator.SYSTEM + "')"));
                    continue;
                }
                candidates.add(new Candidate(name, type.getName(), source, null));
                instances.add(instance);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                addOnce(candidates, new Candidate(null, type.getName(), source, describe(e)));
            }
        }
    }

    /**
     * A provider that fails is met twice on the module path: once through its module's {@code provides},
     * once through its jar's {@code META-INF/services} file read by the layer's class loader.
     */
    private static void addOnce(List<Candidate> candidates, Candidate broken) {
        if (!candidates.contains(broken)) {
            candidates.add(broken);
        }
    }

    /** {@return every provider class name declared to {@code loader}, with the module or jar declaring it} */
    private static Map<String, String> declaredProviders(ClassLoader loader) {
        String service = GlobalAllocatorProvider.class.getName();
        Map<String, String> declared = new LinkedHashMap<>();
        for (ModuleLayer layer = GlobalResolver.class.getModule().getLayer(); layer != null;
             layer = layer.parents().isEmpty() ? null : layer.parents().get(0)) {
            for (Module module : layer.modules()) {
                String location = layer.configuration().findModule(module.getName())
                        .flatMap(m -> m.reference().location()).map(Object::toString).orElse("unknown source");
                module.getDescriptor().provides().stream().filter(p -> p.service().equals(service))
                        .flatMap(p -> p.providers().stream())
                        .forEach(p -> declared.putIfAbsent(p, "module " + module.getName() + " in " + location));
            }
        }
        try {
            Enumeration<URL> files = loader.getResources("META-INF/services/" + service);
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                String jar = jarOf(file);
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                    lines.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty())
                            .forEach(l -> declared.putIfAbsent(l, jar));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "cannot read the service files of " + loader, e);
        }
        return declared;
    }

    /** {@return the jar (or directory) a {@code META-INF/services} file belongs to, in a code source's form} */
    private static String jarOf(URL servicesFile) {
        String url = servicesFile.toString();
        String entry = "META-INF/services/";
        String base = url.substring(0, url.lastIndexOf(entry));
        if (base.startsWith("jar:") && base.endsWith("!/")) {
            return base.substring("jar:".length(), base.length() - 2);
        }
        return base;
    }

    private static String describe(Throwable e) {
        Throwable root = e.getCause() != null ? e.getCause() : e;
        return root.getClass().getName() + ": " + root.getMessage();
    }

    /** {@return the module (if named) and the jar or directory a provider class was loaded from} */
    static String sourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        URL location = codeSource == null ? null : codeSource.getLocation();
        String where = location == null ? "unknown source" : location.toString();
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() + " in " + where : where;
    }
}
