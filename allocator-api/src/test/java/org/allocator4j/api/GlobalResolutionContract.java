package org.allocator4j.api;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Global resolution against real provider jars (built by {@link FixtureJars}) in a fresh copy of the api
 * per test ({@link IsolatedApi}). One subclass per way of loading: class path and module path.
 */
abstract class GlobalResolutionContract {
    private static final String EXCEPTION = AllocatorResolutionException.class.getName();
    private static final String SYSTEM_IMPL = SystemAllocator.class.getName();

    /** Loads a fresh copy of the api with the jars of {@code fixtures}. */
    abstract IsolatedApi open(String... fixtures);

    /** {@return what the report's line for a provider from {@code fixture}'s jar says about where it came from} */
    abstract List<String> sourceMentions(String fixture);

    /** What the resolver logs (it warns about broken providers), kept out of the test output. */
    private LogCapture log;

    @BeforeEach
    void captureWarnings() {
        log = LogCapture.open();
    }

    @AfterEach
    void releaseWarnings() {
        log.close();
    }

    private String warningsText() {
        return log.text();
    }

    // ---- 0, 1, 2 providers

    @Test
    void global_noProvider_returnsBuiltInSystem() {
        try (IsolatedApi api = open()) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SYSTEM_DEFAULT", resolution.outcome());
            assertEquals(Optional.of(GlobalAllocator.SYSTEM), resolution.chosen());
            assertEquals(List.of(GlobalAllocator.SYSTEM), resolution.names());
            assertEquals(List.of(), resolution.candidates());
            assertEquals(Resolution.PREFIX + "no global allocator provider found; using the built-in 'system' allocator",
                    resolution.report());

            Object global = api.global(null);
            assertSame(api.system(), global);
            assertEquals(SYSTEM_IMPL, global.getClass().getName());
            assertTrue(api.apiModule().isNativeAccessEnabled(), () -> api.apiModule() + " has no native access");
            api.exercise(global);
            assertEquals("", warningsText());
        }
    }

    @Test
    void global_oneProvider_returnsItOncePerLoader() {
        try (IsolatedApi api = open("alpha")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SINGLE_PROVIDER", resolution.outcome());
            assertEquals(Optional.of("alpha"), resolution.chosen());
            assertEquals(List.of("alpha", "system"), resolution.names());
            assertReportLine(resolution.report(), "alpha", "org.allocator4j.fixture.alpha.AlphaProvider");
            assertTrue(resolution.report().startsWith(Resolution.PREFIX + "one global allocator provider found; using 'alpha'"),
                    resolution.report());

            Object global = api.global(null);
            assertEquals("alpha", api.nameOf(global));
            assertSame(global, api.global(null), "global() is resolved once");
            // Resolved once: a property set afterwards changes nothing.
            assertSame(global, api.global("system"));
            api.exercise(global);
            assertEquals("", warningsText());
        }
    }

    @Test
    void global_twoProviders_throwsConflictNamingEveryProviderAndJar() {
        try (IsolatedApi api = open("alpha", "beta")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("CONFLICT", resolution.outcome());
            assertEquals(Optional.empty(), resolution.chosen());

            RuntimeException e = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, e.getClass().getName());
            String message = e.getMessage();
            assertEquals(resolution.report(), message);
            assertAllLinesPrefixed(message);
            assertTrue(message.startsWith(Resolution.PREFIX + Resolution.CONFLICT + " (2 found):"), message);
            assertReportLine(message, "alpha", "org.allocator4j.fixture.alpha.AlphaProvider");
            assertReportLine(message, "beta", "org.allocator4j.fixture.beta.BetaProvider");
            assertTrue(message.endsWith(Resolution.PREFIX + Resolution.CONFLICT_FIX + "alpha, beta, system"), message);

            // Every later call fails the same way: resolution happens once.
            RuntimeException again = assertThrows(RuntimeException.class, () -> api.global("alpha"));
            assertEquals(message, again.getMessage());
        }
    }

    @Test
    void global_threeProviders_conflictCountsAndListsAll() {
        try (IsolatedApi api = open("gamma", "alpha", "beta")) {
            String message = assertThrows(RuntimeException.class, () -> api.global(null)).getMessage();
            assertTrue(message.contains(Resolution.CONFLICT + " (3 found):"), message);
            for (String fixture : List.of("alpha", "beta", "gamma")) {
                assertTrue(message.contains(FixtureJars.fileName(fixture)), () -> fixture + " missing in " + message);
            }
            assertTrue(message.endsWith(Resolution.CONFLICT_FIX + "alpha, beta, gamma, system"), message);
        }
    }

    // ---- the property

    @Test
    void global_propertyNamesOneOfTwo_returnsIt() {
        try (IsolatedApi api = open("alpha", "beta")) {
            IsolatedApi.View resolution = api.resolution("beta");
            assertEquals("PROPERTY", resolution.outcome());
            assertEquals(Optional.of("beta"), resolution.chosen());
            assertTrue(resolution.report().startsWith(Resolution.PREFIX + "-D" + GlobalAllocator.GLOBAL_PROPERTY
                    + "=beta chooses 'beta'"), resolution.report());

            Object global = api.global(" beta ");
            assertEquals("beta", api.nameOf(global), "the property is stripped");
            api.exercise(global);
        }
    }

    @Test
    void global_propertySystemWithTwoProviders_returnsBuiltInSystem() {
        try (IsolatedApi api = open("alpha", "beta")) {
            assertEquals("PROPERTY", api.resolution("system").outcome());
            Object global = api.global("system");
            assertSame(api.system(), global);
        }
    }

    @Test
    void global_propertyNamesMissingProvider_throwsListingTheNamesThereAre() {
        try (IsolatedApi api = open("alpha", "beta")) {
            assertEquals("UNKNOWN_NAME", api.resolution("slab").outcome());
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.global("slab"));
            assertEquals(EXCEPTION, e.getClass().getName());
            String message = e.getMessage();
            assertAllLinesPrefixed(message);
            assertTrue(message.startsWith(Resolution.PREFIX + "-D" + GlobalAllocator.GLOBAL_PROPERTY + "=slab "
                    + Resolution.UNKNOWN_NAME), message);
            assertReportLine(message, "alpha", "org.allocator4j.fixture.alpha.AlphaProvider");
            assertReportLine(message, "beta", "org.allocator4j.fixture.beta.BetaProvider");
            assertTrue(message.endsWith(Resolution.PREFIX + Resolution.UNKNOWN_NAME_FIX + "alpha, beta, system"), message);
        }
    }

    @Test
    void global_propertyNamesProviderWithNoProviderThere_throwsNotFallsBack() {
        try (IsolatedApi api = open()) {
            String message = assertThrows(RuntimeException.class, () -> api.global("alpha")).getMessage();
            assertTrue(message.contains(Resolution.UNKNOWN_NAME), message);
            assertTrue(message.endsWith(Resolution.UNKNOWN_NAME_FIX + "system"), message);
        }
    }

    @Test
    void global_twoJarsClaimingOneName_conflictEvenWhenThePropertyNamesIt() {
        try (IsolatedApi api = open("alpha", "alphaclone")) {
            String message = assertThrows(RuntimeException.class, () -> api.global("alpha")).getMessage();
            assertTrue(message.contains(Resolution.CONFLICT), message);
            assertReportLine(message, "alpha", "org.allocator4j.fixture.alpha.AlphaProvider");
            assertReportLine(message, "alphaclone", "org.allocator4j.fixture.alphaclone.AlphaCloneProvider");
        }
    }

    /**
     * Two jars claiming one name cannot be resolved by the property, yet the conflict's fix offers that very
     * name ("choose one with -Dallocator4j.global=NAME, NAME one of: alpha, system"), which fails the same way.
     */
    @Test
    void global_twoJarsClaimingOneName_fixDoesNotOfferTheAmbiguousName() {
        try (IsolatedApi api = open("alpha", "alphaclone")) {
            String message = assertThrows(RuntimeException.class, () -> api.global(null)).getMessage();
            String fix = lineWith(message, "Fix: ");
            List<String> offered = List.of(fix.substring(fix.lastIndexOf(':') + 1).strip().split(",\\s*"));
            assertFalse(offered.contains("alpha"), fix);
        }
    }

    // ---- broken providers: reported, not fatal

    @Test
    void global_providerConstructorThrows_reportedAndIgnored() {
        try (IsolatedApi api = open("broken", "alpha")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SINGLE_PROVIDER", resolution.outcome());
            assertEquals(Optional.of("alpha"), resolution.chosen());
            assertEquals(List.of("alpha", "system"), resolution.names());
            String brokenLine = lineWith(resolution.report(), "org.allocator4j.fixture.broken.BrokenProvider");
            assertTrue(brokenLine.contains("BROKEN"), brokenLine);
            assertTrue(brokenLine.contains("fixture-broken-constructor-fails-on-purpose"), brokenLine);
            sourceMentions("broken").forEach(m -> assertTrue(brokenLine.contains(m), () -> m + " not in " + brokenLine));

            Object global = api.global(null);
            assertEquals("alpha", api.nameOf(global));
            String logged = warningsText();
            assertTrue(logged.contains("org.allocator4j.fixture.broken.BrokenProvider")
                    && logged.contains("fixture-broken-constructor-fails-on-purpose"), "warning: " + logged);
        }
    }

    @Test
    void global_servicesEntryNamesMissingClass_reportedAndIgnored() {
        try (IsolatedApi api = open("missing", "alpha")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SINGLE_PROVIDER", resolution.outcome());
            assertEquals(List.of("alpha", "system"), resolution.names());
            List<String> missingLines = resolution.report().lines()
                    .filter(l -> l.contains("org.allocator4j.fixture.missing.MissingProvider")).toList();
            assertFalse(missingLines.isEmpty(), resolution.report());
            missingLines.forEach(line -> assertTrue(line.contains("BROKEN") && line.startsWith(Resolution.PREFIX), line));

            assertEquals("alpha", api.nameOf(api.global(null)));
            assertTrue(warningsText().contains("org.allocator4j.fixture.missing.MissingProvider"), warningsText());
        }
    }

    /**
     * A services entry (or {@code provides}) naming a class the jar lacks is reported as
     * {@code [?] ? from unknown source}: the report does not say which jar is broken, and on the module path
     * the same failure is listed twice (once by the module lookup, once by ServiceLoader's class-path lookup,
     * which reads the modular jar's {@code META-INF/services} file through the layer's loader).
     */
    @Test
    void global_servicesEntryNamesMissingClass_reportNamesTheJarOnce() {
        try (IsolatedApi api = open("missing", "alpha")) {
            String report = api.resolution(null).report();
            String line = lineWith(report, "org.allocator4j.fixture.missing.MissingProvider");
            assertTrue(line.contains(FixtureJars.fileName("missing")), line);
        }
    }

    @Test
    void global_onlyBrokenProviders_returnsBuiltInSystem() {
        try (IsolatedApi api = open("broken", "missing")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SYSTEM_DEFAULT", resolution.outcome());
            assertFalse(resolution.candidates().isEmpty(), resolution.report());
            resolution.candidates().forEach(c -> assertTrue(c.get(3) != null, () -> "not broken: " + c));
            assertSame(api.system(), api.global(null));
        }
    }

    @Test
    void global_propertyNamesBrokenProvider_throwsUnknownName() {
        try (IsolatedApi api = open("broken", "alpha")) {
            String message = assertThrows(RuntimeException.class, () -> api.global("broken")).getMessage();
            assertTrue(message.contains(Resolution.UNKNOWN_NAME), message);
            assertTrue(message.contains("fixture-broken-constructor-fails-on-purpose"), message);
            assertTrue(message.endsWith(Resolution.UNKNOWN_NAME_FIX + "alpha, system"), message);
        }
    }

    @Test
    void global_providerNamedSystem_rejectedAndBuiltInUsed() {
        try (IsolatedApi api = open("impostor")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SYSTEM_DEFAULT", resolution.outcome());
            String line = lineWith(resolution.report(), "org.allocator4j.fixture.impostor.ImpostorProvider");
            assertTrue(line.contains("name()=system is not a valid provider name"), line);
            sourceMentions("impostor").forEach(m -> assertTrue(line.contains(m), () -> m + " not in " + line));

            Object global = api.global("system");
            assertSame(api.system(), global);
            assertEquals(SYSTEM_IMPL, global.getClass().getName(), "the impostor must not become 'system'");
        }
    }

    @Test
    void global_providerNamedSystemBesideAnother_doesNotConflict() {
        try (IsolatedApi api = open("impostor", "alpha")) {
            assertEquals("alpha", api.nameOf(api.global(null)));
        }
    }

    @Test
    void global_createThrows_throwsWithTheCauseOnEveryCall() {
        try (IsolatedApi api = open("failing")) {
            assertEquals(Optional.of("failing"), api.resolution(null).chosen());
            RuntimeException first = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, first.getClass().getName());
            assertEquals("fixture-failing-create-fails-on-purpose", first.getCause().getMessage());
            RuntimeException second = assertThrows(RuntimeException.class, () -> api.global(null));
            assertNotSame(first, second);
            assertEquals(first.getMessage(), second.getMessage());
            assertSame(first.getCause(), second.getCause());
        }
    }

    // ---- a chosen provider that fails: the headline says what failed, on every call

    @Test
    void global_createThrows_headlineSaysCreationFailedWithTheCause() {
        try (IsolatedApi api = open("failing")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.global(null));
            String message = e.getMessage();
            assertProviderFailure(message, "failing", Resolution.CREATE_FAILED + "fixture-failing-create-fails-on-purpose");
            assertTrue(lineWith(message, Resolution.CHOSEN_BY).endsWith(Resolution.CHOSEN_BY + "as the only provider found:"),
                    message);
            assertReportLine(message, "failing", "org.allocator4j.fixture.failing.FailingProvider");
            assertTrue(message.endsWith(Resolution.PREFIX + Resolution.PROVIDER_FAILED_FIX + "failing, system"), message);
            IsolatedApi.View failed = new IsolatedApi.View(IsolatedApi.read(e, "resolution"));
            assertEquals("PROVIDER_FAILED", failed.outcome());
            assertEquals(Optional.empty(), failed.chosen());
            assertEquals(message, failed.report());
        }
    }

    @Test
    void global_propertyChoosesFailingProvider_headlineSaysCreationFailedAndHowItWasChosen() {
        try (IsolatedApi api = open("failing", "alpha")) {
            String message = assertThrows(RuntimeException.class, () -> api.global("failing")).getMessage();
            assertProviderFailure(message, "failing", Resolution.CREATE_FAILED + "fixture-failing-create-fails-on-purpose");
            assertTrue(message.contains("\n" + Resolution.PREFIX + Resolution.CHOSEN_BY + "by -D"
                    + GlobalAllocator.GLOBAL_PROPERTY + "=failing:\n"), message);
            assertReportLine(message, "alpha", "org.allocator4j.fixture.alpha.AlphaProvider");
            assertTrue(message.endsWith(Resolution.PROVIDER_FAILED_FIX + "alpha, failing, system"), message);
        }
    }

    @Test
    void global_createThrowsError_throwsResolutionExceptionOnEveryCallNeverTheErrorOrNoClassDefFound() {
        try (IsolatedApi api = open("erroring")) {
            RuntimeException first = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, first.getClass().getName());
            assertProviderFailure(first.getMessage(), "erroring",
                    Resolution.CREATE_FAILED + "java.lang.AssertionError: fixture-erroring-create-fails-on-purpose");
            assertReportLine(first.getMessage(), "erroring", "org.allocator4j.fixture.erroring.ErroringProvider");
            assertEquals(AssertionError.class, first.getCause().getClass());
            for (int call = 0; call < 3; call++) {
                RuntimeException later = assertThrows(RuntimeException.class, () -> api.global(null));
                assertEquals(EXCEPTION, later.getClass().getName());
                assertEquals(first.getMessage(), later.getMessage());
                assertSame(first.getCause(), later.getCause());
            }
        }
    }

    @Test
    void named_createThrowsError_throwsResolutionExceptionWithTheError() {
        try (IsolatedApi api = open("erroring")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.named("erroring"));
            assertEquals(EXCEPTION, e.getClass().getName());
            assertProviderFailure(e.getMessage(), "erroring",
                    Resolution.CREATE_FAILED + "java.lang.AssertionError: fixture-erroring-create-fails-on-purpose");
            assertTrue(e.getMessage().contains(Resolution.CHOSEN_BY + "by GlobalAllocator.named(\"erroring\"):"),
                    e.getMessage());
            assertEquals(AssertionError.class, e.getCause().getClass());
        }
    }

    @Test
    void global_nameThrowsError_reportedAsBrokenAndIgnored() {
        try (IsolatedApi api = open("nameerror", "alpha")) {
            IsolatedApi.View resolution = api.resolution(null);
            assertEquals("SINGLE_PROVIDER", resolution.outcome());
            String line = lineWith(resolution.report(), "org.allocator4j.fixture.nameerror.NameErrorProvider");
            assertTrue(line.contains("BROKEN") && line.contains("java.lang.AssertionError: fixture-nameerror-name-fails-on-purpose"),
                    line);
            sourceMentions("nameerror").forEach(m -> assertTrue(line.contains(m), () -> m + " not in " + line));
            assertEquals("alpha", api.nameOf(api.global(null)));
            assertEquals(List.of("alpha", "system"), api.available());
        }
    }

    @Test
    void global_createReturnsNull_throwsSayingSoOnEveryCall() {
        try (IsolatedApi api = open("returnsnull")) {
            RuntimeException first = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, first.getClass().getName());
            assertProviderFailure(first.getMessage(), "returnsnull", Resolution.CREATE_RETURNED_NULL);
            assertReportLine(first.getMessage(), "returnsnull", "org.allocator4j.fixture.returnsnull.ReturnsNullProvider");
            assertEquals(null, first.getCause());
            RuntimeException second = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, second.getClass().getName());
            assertEquals(first.getMessage(), second.getMessage());

            RuntimeException named = assertThrows(RuntimeException.class, () -> api.named("returnsnull"));
            assertTrue(named.getMessage().startsWith(Resolution.PREFIX + "provider 'returnsnull' "
                    + Resolution.CREATE_RETURNED_NULL), named.getMessage());
        }
    }

    @Test
    void global_createCallsGlobal_throwsSayingSoOnEveryCall() {
        try (IsolatedApi api = open("reentrant")) {
            RuntimeException first = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, first.getClass().getName());
            assertProviderFailure(first.getMessage(), "reentrant", Resolution.REENTRANT);
            assertReportLine(first.getMessage(), "reentrant", "org.allocator4j.fixture.reentrant.ReentrantProvider");
            RuntimeException second = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, second.getClass().getName());
            assertEquals(first.getMessage(), second.getMessage());
        }
    }

    @Test
    void global_allocatorNamedOtherThanProvider_throwsNamingBoth() {
        try (IsolatedApi api = open("misnamed")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(EXCEPTION, e.getClass().getName());
            assertProviderFailure(e.getMessage(), "misnamed", Resolution.NAME_MISMATCH + "'other', expected 'misnamed'");
            assertReportLine(e.getMessage(), "misnamed", "org.allocator4j.fixture.misnamed.MisnamedProvider");
            RuntimeException named = assertThrows(RuntimeException.class, () -> api.named("misnamed"));
            assertTrue(named.getMessage().contains(Resolution.NAME_MISMATCH + "'other', expected 'misnamed'"),
                    named.getMessage());
        }
    }

    /**
     * Asserts the report of a failed provider: headline {@code provider 'NAME' WHAT}, every line prefixed,
     * and no line that reads as success.
     */
    private static void assertProviderFailure(String message, String provider, String what) {
        assertTrue(message.startsWith(Resolution.PREFIX + "provider '" + provider + "' " + what + "\n"), message);
        assertAllLinesPrefixed(message);
        assertFalse(message.contains(" chooses '") || message.contains("; using '"), message);
    }

    @Test
    void global_firstCallsFromManyThreadsAtOnce_allGetOneAllocator() throws Exception {
        try (IsolatedApi api = open("alpha")) {
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return api.global(null);
                    }));
                }
                Object first = results.get(0).get();
                assertEquals("alpha", api.nameOf(first));
                for (Future<Object> result : results) {
                    assertSame(first, result.get(), "global() created more than one allocator");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---- allocators are created only for the chosen provider

    private static final String COUNTED = "org.allocator4j.fixture.counted.CountedProvider";

    @Test
    void resolution_anyOutcome_createsNoAllocator() {
        try (IsolatedApi api = open("counted", "alpha")) {
            assertEquals("CONFLICT", api.resolution(null).outcome());
            assertEquals("PROPERTY", api.resolution("counted").outcome());
            assertEquals(List.of("alpha", "counted", "system"), api.available());
            assertThrows(RuntimeException.class, () -> api.global(null));
            assertEquals(0, api.callFixture(COUNTED, "creates"), "resolution and a conflict create no allocator");
            assertTrue((int) api.callFixture(COUNTED, "instances") > 0, "providers are instantiated to learn names");
        }
    }

    @Test
    void global_chosenProvider_createsOneAllocatorOnce() {
        try (IsolatedApi api = open("counted", "alpha")) {
            Object global = api.global("counted");
            assertSame(global, api.global("counted"));
            assertSame(global, api.global(null));
            assertEquals(1, api.callFixture(COUNTED, "creates"));
            api.exercise(global);
            assertNotSame(global, api.named("counted"), "named() creates a fresh allocator");
            assertEquals(2, api.callFixture(COUNTED, "creates"));
        }
    }

    @Test
    void global_otherProviderChosen_createsNoneOfTheOthers() {
        try (IsolatedApi api = open("counted", "alpha")) {
            assertEquals("alpha", api.nameOf(api.global("alpha")));
            assertEquals(0, api.callFixture(COUNTED, "creates"));
        }
    }

    // ---- named(name) and available()

    @Test
    void named_providerName_createsAFreshAllocatorEachCall() {
        try (IsolatedApi api = open("alpha", "beta")) {
            Object first = api.named("alpha");
            Object second = api.named("alpha");
            assertNotSame(first, second);
            assertEquals("alpha", api.nameOf(first));
            assertEquals("beta", api.nameOf(api.named("beta")));
            assertSame(api.system(), api.named("system"));
            api.exercise(first);
        }
    }

    @Test
    void named_createThrows_throwsResolutionExceptionWithTheCause() {
        try (IsolatedApi api = open("failing")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.named("failing"));
            assertEquals(EXCEPTION, e.getClass().getName(), "wrapped as global() wraps it");
            assertEquals("fixture-failing-create-fails-on-purpose", e.getCause().getMessage());
        }
    }

    @Test
    void named_unknownName_throwsListingTheNames() {
        try (IsolatedApi api = open("alpha", "beta")) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> api.named("slab"));
            assertEquals(EXCEPTION, e.getClass().getName());
            assertTrue(e.getMessage().contains(Resolution.UNKNOWN_NAME), e.getMessage());
            assertTrue(e.getMessage().endsWith(Resolution.UNKNOWN_NAME_FIX + "alpha, beta, system"), e.getMessage());
        }
    }

    @Test
    void available_brokenAndImpostorProviders_leftOut() {
        try (IsolatedApi api = open("gamma", "broken", "missing", "impostor", "alpha")) {
            assertEquals(List.of("alpha", "gamma", "system"), api.available());
        }
    }

    // ---- the rule, for every combination of providers and property

    @Provide
    Arbitrary<String> propertyValues() {
        return Arbitraries.of("<unset>", " ", "alpha", "beta", "gamma", "system", "slab");
    }

    /**
     * The rule of DESIGN.md, for each subset of {alpha, beta, gamma} on the path (bit i of {@code mask}) and
     * each property value: the property, then exactly one provider, then system; anything else fails.
     */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void global_anyProvidersAndProperty_followsTheRule(@ForAll @IntRange(min = 0, max = 7) int mask,
                                                       @ForAll("propertyValues") String value) {
        List<String> present = IntStream.range(0, 3).filter(i -> (mask & (1 << i)) != 0)
                .mapToObj(i -> List.of("alpha", "beta", "gamma").get(i)).toList();
        String property = value.equals("<unset>") ? null : value;
        String wanted = property == null || property.isBlank() ? null : property.strip();
        String expectedOutcome;
        String expectedChoice;
        if (wanted == null) {
            expectedOutcome = switch (present.size()) {
                case 0 -> "SYSTEM_DEFAULT";
                case 1 -> "SINGLE_PROVIDER";
                default -> "CONFLICT";
            };
            expectedChoice = present.isEmpty() ? "system" : present.size() == 1 ? present.get(0) : null;
        } else if (wanted.equals("system") || present.contains(wanted)) {
            expectedOutcome = "PROPERTY";
            expectedChoice = wanted;
        } else {
            expectedOutcome = "UNKNOWN_NAME";
            expectedChoice = null;
        }

        try (IsolatedApi api = open(present.toArray(String[]::new))) {
            IsolatedApi.View resolution = api.resolution(property);
            List<String> names = Stream.concat(present.stream(), Stream.of("system")).sorted().toList();
            assertAll(
                    () -> assertEquals(expectedOutcome, resolution.outcome()),
                    () -> assertEquals(Optional.ofNullable(expectedChoice), resolution.chosen()),
                    () -> assertEquals(names, resolution.names()),
                    () -> assertEquals(present.size(), resolution.candidates().size()));
            if (expectedChoice != null) {
                assertEquals(expectedChoice, api.nameOf(api.global(property)));
            } else {
                String message = assertThrows(RuntimeException.class, () -> api.global(property)).getMessage();
                assertEquals(resolution.report(), message);
                assertTrue(message.endsWith(String.join(", ", names)), message);
                present.forEach(p -> assertTrue(message.contains(FixtureJars.fileName(p)), message));
            }
        }
    }

    // ---- helpers

    /** Asserts the report's line for a loaded provider: its name, its class, and where it came from. */
    private void assertReportLine(String report, String fixture, String providerClass) {
        String name = fixture.equals("alphaclone") ? "alpha" : fixture;
        String line = lineWith(report, providerClass);
        assertTrue(line.startsWith(Resolution.PREFIX + "  [" + name + "] " + providerClass + " from "), line);
        assertFalse(line.contains("BROKEN"), line);
        for (String mention : sourceMentions(fixture)) {
            assertTrue(line.contains(mention), () -> "'" + mention + "' not in: " + line);
        }
    }

    private static String lineWith(String report, String text) {
        List<String> lines = report.lines().filter(l -> l.contains(text)).toList();
        assertEquals(1, lines.size(), () -> "expected one line with " + text + " in:\n" + report);
        return lines.get(0);
    }

    private static void assertAllLinesPrefixed(String report) {
        report.lines().forEach(line -> assertTrue(line.startsWith(Resolution.PREFIX), () -> "unprefixed line: " + line));
    }
}
