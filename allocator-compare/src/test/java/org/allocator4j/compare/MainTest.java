package org.allocator4j.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Resolution;
import org.junit.jupiter.api.Test;

class MainTest {
    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return status + "\n" + bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_compareWithArguments_printsTheGlobalReportFirstThenTheTable() {
        String out = run("compare", "synthetic:larson", "-s", "system", "-c", "none", "--no-warmup");
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("global allocator: "), out);
        assertTrue(out.indexOf("global allocator: ") < out.indexOf("trace synthetic:larson"), out);
    }

    @Test
    void run_conflictingProviders_printsTheConflictAndStillCompares() {
        // This module's test class path holds bump, slab, tracking and a test provider: a real conflict.
        String previous = System.getProperty(GlobalAllocator.GLOBAL_PROPERTY);
        System.clearProperty(GlobalAllocator.GLOBAL_PROPERTY);
        try {
            String out = run("compare", "synthetic:larson", "-s", "system", "-c", "none", "--no-warmup");
            assertTrue(out.startsWith("0\n"), out);
            assertTrue(out.contains(Resolution.CONFLICT), out);
            assertTrue(out.contains("allocator-slab") && out.contains("allocator-bump"), out);
            assertTrue(out.contains("global allocator: none"), out);
        } finally {
            if (previous != null) {
                System.setProperty(GlobalAllocator.GLOBAL_PROPERTY, previous);
            }
        }
    }

    @Test
    void run_unknownTrace_exitsWithTwoAfterTheReport() {
        String out = run("frobnicate");
        assertTrue(out.startsWith("2\n"), out);
        assertTrue(out.contains("global allocator: ") && out.endsWith("compare: frobnicate: no such trace file\n"), out);
    }

    @Test
    void run_help_printsTheUsageAndEveryExitStatusAlone() {
        String out = run("--help");
        assertTrue(out.startsWith("0\nUsage: compare "), out);
        for (ExitStatus status : ExitStatus.values()) {
            assertTrue(out.contains("  " + status.code() + "  "), status + " in " + out);
        }
        assertTrue(!out.contains("global allocator: "), "no resolution report before the help: " + out);
        assertTrue(run("compare").startsWith("2\nUsage: compare "), "no trace: the usage and status 2");
    }

    @Test
    void bundledTrace_isInTheModule() {
        assertTrue(java.nio.file.Files.isRegularFile(Main.BUNDLED_TRACE), Main.BUNDLED_TRACE + " is missing");
        assertEquals("python3-json.mtrace.gz", Main.BUNDLED_TRACE.getFileName().toString());
    }
}
