package org.allocator4j.compare.replay;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for the JIT compilers to go quiet after a warm-up, so that compilations (which take native memory
 * in the compiler threads' own malloc arenas) happen before the footprint's baseline rather than during
 * the measured passes.
 */
final class JitIdle {
    /** How long the total compilation time must stand still. */
    private static final long QUIET_MILLIS = 150;
    /** The longest wait. */
    private static final long MAX_MILLIS = 3_000;

    private JitIdle() {
    }

    /** Returns once no compilation finished for {@value #QUIET_MILLIS} ms, or after {@value #MAX_MILLIS} ms. */
    static void await() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000;
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= QUIET_MILLIS * 1_000_000) {
                return;
            }
        }
    }
}
