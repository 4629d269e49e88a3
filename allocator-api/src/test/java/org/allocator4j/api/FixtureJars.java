package org.allocator4j.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;


/**
 * Builds the jars of {@code src/test/fixtures/} (see its README) with the running JDK's {@code javac}, once
 * per test JVM, into {@code target/fixture-jars/}. A fixture with a {@code module-info.java} becomes a
 * modular jar that works on the class path (through its {@code META-INF/services} entry) and on the
 * module path (through its {@code provides}).
 *
 * <p>Paths are derived from where this module's main classes were loaded ({@code target/classes}), so
 * nothing depends on the working directory or the machine.
 */
final class FixtureJars {
    /** Classes left out of a fixture's jar after compiling it, to make a broken jar. */
    private static final Map<String, Set<String>> OMITTED = Map.of(
            "missing", Set.of("org/allocator4j/fixture/missing/MissingProvider.class"));

    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
    /** A fixture directory holding only this file is a named provider, expanded from the template. */
    private static final String NAMED_PROVIDER = "named-provider.properties";
    /** The sources every named-provider fixture is expanded from. */
    private static final String NAMED_PROVIDER_TEMPLATE = "_named-provider";

    private FixtureJars() {
    }

    /** {@return the directory (exploded module) holding allocator-api's main classes} */
    static Path apiClasses() {
        try {
            return Path.of(GlobalAllocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the jar's file name for a fixture: distinctive, so tests can look for it in messages} */
    static String fileName(String fixture) {
        return "allocator4j-fixture-" + fixture + ".jar";
    }

    /** {@return the jar of {@code fixture}, built on first use} */
    static Path jar(String fixture) {
        return BUILT.computeIfAbsent(fixture, FixtureJars::build);
    }

    /** {@return the jars of {@code fixtures}, in order} */
    static List<Path> jars(String... fixtures) {
        return Stream.of(fixtures).map(FixtureJars::jar).toList();
    }

    private static Path build(String fixture) {
        Path moduleDir = apiClasses().getParent().getParent();
        Path fixtures = moduleDir.resolve("src/test/fixtures");
        Path sources = fixtures.resolve(fixture);
        if (!Files.isDirectory(sources)) {
            throw new IllegalArgumentException("fixture=" + fixture + " has no directory " + sources);
        }
        Path out = apiClasses().getParent().resolve("fixture-jars");
        Path classes = out.resolve(fixture + "-classes");
        try {
            Path spec = sources.resolve(NAMED_PROVIDER);
            if (Files.exists(spec)) {
                sources = expand(fixture, spec, fixtures.resolve(NAMED_PROVIDER_TEMPLATE), out.resolve(fixture + "-sources"));
            }
            deleteRecursively(classes);
            Files.createDirectories(classes);
            List<String> javaFiles;
            try (Stream<Path> files = Files.walk(sources)) {
                javaFiles = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
            }
            boolean modular = Files.exists(sources.resolve("module-info.java"));
            compile(fixture, modular, classes, javaFiles);
            Path jar = out.resolve(fileName(fixture));
            writeJar(jar, List.of(classes, sources), OMITTED.getOrDefault(fixture, Set.of()));
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build fixture=" + fixture, e);
        }
    }

    /**
     * Writes the sources of a fixture that is only a named provider: the template's files (paths and
     * contents) with {@code @FIXTURE@}, {@code @CLASS@}, {@code @NAME@}, {@code @ALLOCATOR_NAME@} (the
     * allocator's name, the provider's unless {@code allocatorName} says otherwise) and {@code @DOC@}
     * replaced from the fixture's {@value #NAMED_PROVIDER}, and the {@code .template} suffix dropped.
     */
    private static Path expand(String fixture, Path spec, Path template, Path target) throws IOException {
        Properties values = new Properties();
        try (var reader = Files.newBufferedReader(spec)) {
            values.load(reader);
        }
        Map<String, String> replacements = Map.of("@FIXTURE@", fixture,
                "@CLASS@", values.getProperty("class"), "@NAME@", values.getProperty("name"),
                "@ALLOCATOR_NAME@", values.getProperty("allocatorName", values.getProperty("name")),
                "@DOC@", values.getProperty("doc"));
        deleteRecursively(target);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(template)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String relative = replace(template.relativize(file).toString(), replacements)
                    .replaceFirst("\\.template$", "");
            Path written = target.resolve(relative);
            Files.createDirectories(written.getParent());
            Files.writeString(written, replace(Files.readString(file), replacements));
        }
        return target;
    }

    private static String replace(String text, Map<String, String> replacements) {
        String result = text;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            result = result.replace(r.getKey(), r.getValue());
        }
        return result;
    }

    private static void compile(String fixture, boolean modular, Path classes, List<String> javaFiles) {
        // java.util.spi.ToolProvider rather than javax.tools: the tests compile inside the api module,
        // which reads java.base only.
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new IllegalStateException(
                "the test JVM has no javac (module jdk.compiler); java.home=" + System.getProperty("java.home")));
        List<String> args = new ArrayList<>(List.of(
                modular ? "--module-path" : "--class-path", apiClasses().toString(),
                "-d", classes.toString(), "-Xlint:all", "-Werror", "-implicit:none"));
        args.addAll(javaFiles);
        StringWriter diagnostics = new StringWriter();
        int status;
        try (PrintWriter writer = new PrintWriter(diagnostics)) {
            status = javac.run(writer, writer, args.toArray(String[]::new));
        }
        if (status != 0) {
            throw new IllegalStateException("javac failed on fixture=" + fixture + " status=" + status + ":\n"
                    + diagnostics);
        }
    }

    /** Writes every regular file under {@code roots} except {@code .java} sources and {@code omitted}. */
    private static void writeJar(Path jar, List<Path> roots, Set<String> omitted) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Files.deleteIfExists(jar);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Path root : roots) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    if (name.endsWith(".java") || omitted.contains(name)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
