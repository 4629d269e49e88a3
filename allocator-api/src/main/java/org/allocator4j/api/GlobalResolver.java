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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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

    /**
     * Guards the first resolution. Not class initialisation (a holder class): a provider that calls
     * {@code global()} from its {@code create()} would read the holder's field as null, and a
     * {@link VirtualMachineError} during initialisation would leave every later call a
     * {@link NoClassDefFoundError}. Held by the thread that resolves, so re-entry is detected.
     */
    private static final ReentrantLock RESOLVING = new ReentrantLock();
    /** The global allocator or its failure, once resolved; written once under {@link #RESOLVING}. */
    private static volatile Resolved resolved;
    /** Whether the provider being created called {@code global()}; read and written under {@link #RESOLVING}. */
    private static boolean reentered;
    /** What the provider being created had chosen; for the re-entry message. Under {@link #RESOLVING}. */
    private static Resolution inProgress;

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
        // Volatile read: publishes the allocator (and everything its creation wrote) to every thread.
        Resolved r = resolved;
        return r != null ? r.get() : resolveOnce();
    }

    private static GlobalAllocator resolveOnce() {
        if (RESOLVING.isHeldByCurrentThread()) {
            if (inProgress == null) {
                // From a provider's constructor or name(): find() reports that provider as broken with this.
                throw new IllegalStateException("GlobalAllocator.global() was called while the providers were"
                        + " being found (from a provider's constructor or name())");
            }
            // Called from inside the chosen provider's create(): nothing is chosen yet.
            reentered = true;
            throw new AllocatorResolutionException(inProgress.failedBy(Resolution.REENTRANT), null);
        }
        RESOLVING.lock();
        try {
            Resolved r = resolved;
            if (r == null) {
                // A VirtualMachineError thrown from here is not kept: the next call resolves again.
                r = resolveAndCreate(GlobalAllocator.class.getClassLoader(),
                        System.getProperty(GlobalAllocator.GLOBAL_PROPERTY));
                resolved = r;
            }
            return r.get();
        } finally {
            inProgress = null;
            reentered = false;
            RESOLVING.unlock();
        }
    }

    private static Resolved resolveAndCreate(ClassLoader loader, String property) {
        Resolution resolution = resolveFrom(loader, property);
        if (resolution.candidates().stream().anyMatch(c -> !c.loaded())) {
            LOG.log(Level.WARNING, resolution.report());
        }
        inProgress = resolution;
        try {
            GlobalAllocator allocator = instantiate(resolution);
            if (reentered) {
                // create() caught what global() threw it and went on: still a broken provider.
                return new Resolved(null, resolution.failedBy(Resolution.REENTRANT), null);
            }
            return new Resolved(allocator, resolution, null);
        } catch (AllocatorResolutionException e) {
            return reentered
                    ? new Resolved(null, resolution.failedBy(Resolution.REENTRANT), e.getCause())
                    : new Resolved(null, e.resolution(), e.getCause());
        }
    }

    static GlobalAllocator create(ClassLoader loader, String name) {
        java.util.Objects.requireNonNull(name, "name");
        return instantiate(resolveFrom(loader, name).requestedBy("GlobalAllocator.named(\"" + name + "\")"));
    }

    /**
     * {@return the allocator {@code resolution} chooses: {@code system}, or a new one from the chosen
     * provider, checked to be non-null and to have the provider's name}
     *
     * @throws AllocatorResolutionException if it chooses none, or the provider fails: its {@code create()}
     *                                      throws (then with that as the cause) or returns null, or the
     *                                      allocator's {@code name()} is not the provider's or throws
     * @throws VirtualMachineError          as thrown by the provider, unwrapped
     */
    private static GlobalAllocator instantiate(Resolution resolution) {
        if (!resolution.outcome().chooses()) {
            throw new AllocatorResolutionException(resolution, null);
        }
        GlobalAllocatorProvider provider = resolution.chosenProvider();
        if (provider == null) {
            return GlobalAllocator.system();
        }
        GlobalAllocator allocator = callProvider(resolution, Resolution.CREATE_FAILED, provider::create);
        if (allocator == null) {
            throw new AllocatorResolutionException(resolution.failedBy(Resolution.CREATE_RETURNED_NULL), null);
        }
        String name = callProvider(resolution, Resolution.NAME_MISMATCH + "it threw ", allocator::name);
        String expected = resolution.chosen().orElseThrow();
        if (!expected.equals(name)) {
            throw new AllocatorResolutionException(resolution.failedBy(Resolution.NAME_MISMATCH
                    + "'" + name + "', expected '" + expected + "'"), null);
        }
        return allocator;
    }

    /**
     * {@return what {@code code}, a call into the chosen provider, returns}
     *
     * @throws AllocatorResolutionException whose headline is {@code failed} and what the code threw, for
     *                                      anything it throws, an {@link Error} included: a provider's bug
     *                                      or bad setting must not escape as a raw error
     * @throws VirtualMachineError          as thrown, unwrapped
     */
    private static <T> T callProvider(Resolution resolution, String failed, Supplier<T> code) {
        try {
            return code.get();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            throw new AllocatorResolutionException(resolution.failedBy(failed + describeFailure(e)), e);
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
        List<Found> instances = new ArrayList<>();
        find(loader, candidates, instances);

        String wanted = property == null || property.isBlank() ? null : property.strip();
        if (wanted == null) {
            return switch (instances.size()) {
                case 0 -> new Resolution(Outcome.SYSTEM_DEFAULT, GlobalAllocator.SYSTEM, null, candidates, null);
                case 1 -> new Resolution(Outcome.SINGLE_PROVIDER, instances.get(0).name(), null, candidates,
                        instances.get(0).provider());
                default -> new Resolution(Outcome.CONFLICT, null, null, candidates, null);
            };
        }
        if (wanted.equals(GlobalAllocator.SYSTEM)) {
            return new Resolution(Outcome.PROPERTY, GlobalAllocator.SYSTEM, wanted, candidates, null);
        }
        // The name each provider gave once: name() is not called again, so it cannot fail or change here.
        List<GlobalAllocatorProvider> named = instances.stream().filter(f -> f.name().equals(wanted))
                .map(Found::provider).toList();
        return switch (named.size()) {
            case 0 -> new Resolution(Outcome.UNKNOWN_NAME, null, wanted, candidates, null);
            case 1 -> new Resolution(Outcome.PROPERTY, wanted, wanted, candidates, named.get(0));
            // Two jars claiming one name: choosing either would be a guess.
            default -> new Resolution(Outcome.CONFLICT, null, wanted, candidates, null);
        };
    }

    /** A provider that loaded, with the name it gave. */
    private record Found(GlobalAllocatorProvider provider, String name) {
    }

    private static void find(ClassLoader loader, List<Candidate> candidates, List<Found> instances) {
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
            } catch (VirtualMachineError e) {
                throw e;
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
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
                instances.add(new Found(instance, name));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // Any other Error too (an AssertionError from name(), say): the provider is broken, not the JVM.
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

    /**
     * {@return what a provider's failure says, for a headline} A runtime exception's own message (a bad
     * setting names itself); for an error, or an exception without a message, its class too, and then the
     * cause, if it has no message of its own. Lines after the first keep the report's prefix.
     */
    private static String describeFailure(Throwable e) {
        String message = e.getMessage();
        String text = e instanceof RuntimeException && message != null && !message.isBlank()
                ? message
                : message == null ? e.getClass().getName() : e.getClass().getName() + ": " + message;
        Throwable cause = e.getCause();
        if (cause != null && cause != e && (message == null || message.isBlank())) {
            text += " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return text.replace("\n", "\n" + Resolution.PREFIX + "  ");
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
