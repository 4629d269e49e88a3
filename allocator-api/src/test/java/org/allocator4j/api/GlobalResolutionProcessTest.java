package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real JVM runs the fixture application {@code app} (whose {@code main} calls
 * {@code GlobalAllocator.global()} first thing) with provider jars on its class path, as a user would.
 */
class GlobalResolutionProcessTest {
    private static final String MAIN = "org.allocator4j.fixture.app.Main";
    /** Bounds a child JVM that hangs; not a timing assertion. */
    private static final long CHILD_LIMIT_SECONDS = 60;

    @TempDir
    Path temp;

    /** What a child JVM did. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status=" + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    @Test
    void main_twoProviderJars_exitsNonZeroNamingBothJars() throws Exception {
        Run run = run(null, "alpha", "beta");
        assertEquals(1, run.status(), run::toString);
        String err = run.err();
        assertTrue(err.contains(AllocatorResolutionException.class.getName()), run::toString);
        assertTrue(err.contains(Resolution.PREFIX + Resolution.CONFLICT + " (2 found):"), run::toString);
        assertTrue(err.contains(FixtureJars.fileName("alpha")), run::toString);
        assertTrue(err.contains(FixtureJars.fileName("beta")), run::toString);
        assertTrue(err.contains(Resolution.PREFIX + Resolution.CONFLICT_FIX + "alpha, beta, system"), run::toString);
        assertFalse(run.out().contains("global="), run::toString);
        assertNoNativeAccessWarning(run);
    }

    @Test
    void main_twoProviderJarsAndProperty_runsWithTheChosenOne() throws Exception {
        Run run = run("beta", "alpha", "beta");
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("global=beta", "ok"), run.out().lines().toList(), run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void main_twoProviderJarsAndWrongName_exitsNonZeroNamingTheChoices() throws Exception {
        Run run = run("slab", "alpha", "beta");
        assertEquals(1, run.status(), run::toString);
        String err = run.err();
        assertTrue(err.contains("-D" + GlobalAllocator.GLOBAL_PROPERTY + "=slab " + Resolution.UNKNOWN_NAME), run::toString);
        assertTrue(err.contains(Resolution.PREFIX + Resolution.UNKNOWN_NAME_FIX + "alpha, beta, system"), run::toString);
        assertTrue(err.contains(FixtureJars.fileName("alpha")) && err.contains(FixtureJars.fileName("beta")), run::toString);
        assertNoNativeAccessWarning(run);
    }

    @Test
    void main_noProviderJar_runsOnSystem() throws Exception {
        Run run = run(null);
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("global=system", "ok"), run.out().lines().toList(), run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void main_brokenProviderBesideAnother_runsAndWarnsNamingIt() throws Exception {
        Run run = run(null, "broken", "alpha");
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("global=alpha", "ok"), run.out().lines().toList(), run::toString);
        String warning = run.err().lines().filter(l -> l.contains("BrokenProvider")).findFirst().orElse("");
        assertTrue(warning.startsWith(Resolution.PREFIX) && warning.contains("BROKEN")
                && warning.contains(FixtureJars.fileName("broken")), run::toString);
        assertTrue(run.err().contains("WARNING"), run::toString);
        assertNoNativeAccessWarning(run);
    }

    @Test
    void main_modulePathTwoProviderModules_exitsNonZeroNamingBothModulesAndJars() throws Exception {
        Run run = runOnModulePath(null, "alpha", "beta");
        assertEquals(1, run.status(), run::toString);
        String err = run.err();
        assertTrue(err.contains(Resolution.PREFIX + Resolution.CONFLICT + " (2 found):"), run::toString);
        for (String fixture : List.of("alpha", "beta")) {
            assertTrue(err.contains("module org.allocator4j.fixture." + fixture + " in "), run::toString);
            assertTrue(err.contains(FixtureJars.fileName(fixture)), run::toString);
        }
        assertTrue(err.contains(Resolution.CONFLICT_FIX + "alpha, beta, system"), run::toString);
        assertNoNativeAccessWarning(run);
    }

    @Test
    void main_modulePathTwoProviderModulesAndProperty_runsWithoutAnyWarning() throws Exception {
        Run run = runOnModulePath("alpha", "alpha", "beta");
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("global=alpha", "ok"), run.out().lines().toList(), run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void main_providerCreateThrowsError_exitsWithResolutionExceptionOnBothCalls() throws Exception {
        assertErroringProviderReported(run(null, "erroring"), FixtureJars.fileName("erroring"));
    }

    @Test
    void main_modulePathProviderCreateThrowsError_exitsWithResolutionExceptionOnBothCalls() throws Exception {
        assertErroringProviderReported(runOnModulePath(null, "erroring"), "module org.allocator4j.fixture.erroring in ");
    }

    @Test
    void main_providerCreateCallsGlobal_exitsWithResolutionExceptionSayingSo() throws Exception {
        Run run = run(null, "reentrant");
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("first call threw " + AllocatorResolutionException.class.getName() + "\n"),
                run::toString);
        assertTrue(run.err().contains(Resolution.PREFIX + "provider 'reentrant' " + Resolution.REENTRANT), run::toString);
        assertFalse(run.err().contains("NullPointerException") || run.err().contains("NoClassDefFoundError"),
                run::toString);
    }

    /**
     * The first and the second {@code global()} both throw the resolution exception, whose headline says
     * that creation failed and names the error; no raw error, no {@code NoClassDefFoundError}.
     */
    private static void assertErroringProviderReported(Run run, String source) {
        assertEquals(1, run.status(), run::toString);
        String err = run.err();
        assertTrue(err.startsWith("first call threw " + AllocatorResolutionException.class.getName() + "\n"),
                run::toString);
        assertTrue(err.contains("Exception in thread \"main\" " + AllocatorResolutionException.class.getName() + ": "
                + Resolution.PREFIX + "provider 'erroring' " + Resolution.CREATE_FAILED
                + "java.lang.AssertionError: fixture-erroring-create-fails-on-purpose\n"), run::toString);
        assertTrue(err.contains("Caused by: java.lang.AssertionError: fixture-erroring-create-fails-on-purpose"),
                run::toString);
        assertTrue(err.contains(source), run::toString);
        assertFalse(err.contains("NoClassDefFoundError") || err.contains(" chooses '"), run::toString);
        assertFalse(run.out().contains("global="), run::toString);
        assertNoNativeAccessWarning(run);
    }

    private static void assertNoNativeAccessWarning(Run run) {
        assertFalse(run.err().contains("restricted method") || run.err().contains("enable-native-access"),
                run::toString);
    }

    /** Runs the app in a new JVM with the api classes, the app and {@code fixtures}' jars on the class path. */
    private Run run(String property, String... fixtures) throws IOException, InterruptedException {
        List<Path> classPath = new ArrayList<>();
        classPath.add(FixtureJars.apiClasses());
        classPath.add(FixtureJars.jar("app"));
        classPath.addAll(FixtureJars.jars(fixtures));
        return launch(List.of("--enable-native-access=ALL-UNNAMED", "-cp", path(classPath)), property, "cp", fixtures);
    }

    /**
     * Runs the app (on the class path) in a new JVM with the api and {@code fixtures}' jars as named modules on
     * the module path, as the README tells module-path users: {@code --enable-native-access=org.allocator4j.api}.
     */
    private Run runOnModulePath(String property, String... fixtures) throws IOException, InterruptedException {
        List<Path> modulePath = new ArrayList<>();
        modulePath.add(FixtureJars.apiClasses());
        modulePath.addAll(FixtureJars.jars(fixtures));
        return launch(List.of("--enable-native-access=" + IsolatedApi.API_MODULE,
                "--module-path", path(modulePath), "--add-modules", IsolatedApi.API_MODULE,
                "-cp", FixtureJars.jar("app").toString()), property, "mp", fixtures);
    }

    private static String path(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    private Run launch(List<String> options, String property, String kind, String... fixtures)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the test JVM's command is unknown"));
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        command.addAll(options);
        if (property != null) {
            command.add("-D" + GlobalAllocator.GLOBAL_PROPERTY + "=" + property);
        }
        command.add(MAIN);

        String name = String.join("-", Stream.concat(Stream.of(kind, String.valueOf(property)), Stream.of(fixtures)).toList());
        Path out = temp.resolve(name + ".out");
        Path err = temp.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Options from the environment would print "Picked up ..." to stderr and change the child.
        Stream.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS").forEach(builder.environment()::remove);
        Process process = builder.start();
        if (!process.waitFor(CHILD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("child JVM did not finish in " + CHILD_LIMIT_SECONDS + " s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
