package org.allocator4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of the JMH suite once, for every subject it declares, so that a broken benchmark or
 * adapter fails the build. Tiny times, no warm-up, one size: the numbers are not looked at. In this JVM
 * (forks 0) except {@code arrow}, which needs the suite's fork options (Unsafe allowed) and gets one fork.
 * A native anchor whose library is missing is left out, as the suite leaves it out.
 */
class SuiteSmokeTest {
    private static final List<String> SUITE = List.of("SuitePairBenchmark", "SuiteBatchBenchmark",
            "SuiteTwoThreadsBenchmark", "SuiteProducerConsumerBenchmark", "SuiteGlibcSimpleBenchmark",
            "SuiteLarsonBenchmark");

    @BeforeAll
    static void ignoreTheJmhLock() {
        // JMH takes a machine-wide lock so that two measurements do not disturb each other; this test
        // measures nothing, so it must not fail (or wait) because a real run holds the lock.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SuitePairBenchmark", "SuiteBatchBenchmark", "SuiteTwoThreadsBenchmark",
            "SuiteProducerConsumerBenchmark", "SuiteGlibcSimpleBenchmark", "SuiteLarsonBenchmark"})
    void run_eachSubjectOnce_givesAResultForEach(String benchmark) throws Exception {
        assertTrue(SUITE.contains(benchmark), benchmark);
        Class<?> type = Class.forName("org.allocator4j.bench." + benchmark);
        List<String> inProcess = new ArrayList<>();
        boolean arrow = false;
        for (String subject : type.getField("subject").getAnnotation(Param.class).value()) {
            if (subject.equals("arrow")) {
                arrow = true;
            } else if (available(subject)) {
                inProcess.add(subject);
            }
        }
        assertTrue(inProcess.containsAll(List.of("system", "slab", "glibc", "nettyPooled")), inProcess.toString());

        assertRan(run(benchmark, 0, inProcess), inProcess);
        if (arrow) {
            assertRan(run(benchmark, 1, List.of("arrow")), List.of("arrow"));
        }
    }

    private static Collection<RunResult> run(String benchmark, int forks, List<String> subjects) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("org\\.allocator4j\\.bench\\." + benchmark + "\\.")
                .forks(forks)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeUnit(TimeUnit.NANOSECONDS)
                .param("subject", subjects.toArray(String[]::new))
                .param("size", "64")
                .shouldFailOnError(true);
        return new Runner(options.build()).run();
    }

    private static void assertRan(Collection<RunResult> results, List<String> subjects) {
        TreeSet<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            String subject = result.getParams().getParam("subject");
            assertTrue(score > 0 && Double.isFinite(score), subject + ": score=" + score);
            ran.add(subject);
        }
        assertEquals(new TreeSet<>(subjects), ran);
    }

    /**
     * {@return whether the subject can run in this JVM: jemalloc and mimalloc need their library, and
     * jemalloc also the static TLS room that GLIBC_TUNABLES gives (the bench pom sets it for tests)}
     */
    private static boolean available(String subject) {
        return switch (subject) {
            case "jemalloc" -> System.getenv("GLIBC_TUNABLES") != null && loads("libjemalloc.so.2");
            case "mimalloc" -> loads("libmimalloc.so.2");
            default -> true;
        };
    }

    @SuppressWarnings("restricted")
    private static boolean loads(String library) {
        try {
            // SAFETY: only looks the library up; nothing in it is called here.
            SymbolLookup.libraryLookup(library, Arena.global());
            return true;
        } catch (IllegalArgumentException missing) {
            System.out.println("SuiteSmokeTest: " + library + " is missing; its anchor is left out");
            return false;
        }
    }
}
