package org.allocator4j.nativebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.slab.SlabAllocator;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * Upcalls from threads the JVM did not start: native threads made by {@code pthread_create} call the
 * bridge's stubs, which the JVM attaches for the call; and from a thousand virtual threads. Behind the
 * bridge, tracking over slab (cross-thread frees, thread caches of threads that come and go).
 */
class NativeThreadsTest {
    private static final Path C_SOURCE = Path.of("src", "test", "c", "bridge_threads.c");

    @Test
    void runThreads_compiledCallerOnFourNativeThreads_findsEveryBlockIntactAndLeavesNothingLive(@TempDir Path dir)
            throws Throwable {
        Optional<Path> cc = onPath("cc");
        Assumptions.assumeTrue(cc.isPresent(), "skipped: no C compiler 'cc' on PATH to build " + C_SOURCE
                + " (the pthread_create test below still runs)");
        Path library = dir.resolve("libbridgethreads.so");
        compile(cc.get(), library);
        MemorySegment runThreads = NativeCaller.load(library).find("run_threads").orElseThrow();
        MethodHandle run = NativeCaller.handle(FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        SlabAllocator slab = SlabAllocator.create();
        try (TrackingAllocator tracking = Tracking.builder(slab).jmx(false).build();
             NativeBridge bridge = NativeBridge.open(tracking)) {
            long ops = "deep".equals(System.getProperty("allocator4j.testkit.level")) ? 1_000_000 : 20_000;

            long errors = (long) run.invokeExact(runThreads, bridge.pointer(CFunction.MALLOC).address(),
                    bridge.pointer(CFunction.FREE).address(), bridge.pointer(CFunction.REALLOC).address(), 4, ops);

            assertEquals(0L, errors, "blocks found damaged, misaligned or NULL by the C threads; " + bridge);
            assertEquals(0L, bridge.liveBlocks(), bridge.toString());
            assertEquals(0L, bridge.failures(), bridge.toString());
            assertEquals(0L, bridge.unknownPointers(), bridge.toString());
            assertEquals(0L, tracking.snapshot().liveBytes());
            assertTrue(tracking.snapshot().allocations() > ops, "the C threads allocated: " + tracking.snapshot());
        } finally {
            slab.close();
        }
    }

    @Test
    void pthreadCreate_stubAsStartRoutine_allocatesAndFreesOnThreadsTheJvmDidNotStart() throws Throwable {
        Linker linker = Linker.nativeLinker();
        // int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*); int pthread_join(pthread_t, void**)
        MethodHandle create = NativeCaller.handle(FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle join = NativeCaller.handle(FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS));
        MemorySegment pthreadCreate = linker.defaultLookup().find("pthread_create").orElseThrow();
        MemorySegment pthreadJoin = linker.defaultLookup().find("pthread_join").orElseThrow();
        try (TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system()).jmx(false).build();
             NativeBridge bridge = NativeBridge.open(tracking);
             Arena arena = Arena.ofConfined()) {
            MemorySegment thread = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment result = arena.allocate(ValueLayout.JAVA_LONG);

            // malloc's void* (*)(size_t) is called as a start routine void* (*)(void*): the size travels as
            // the thread's argument, the block comes back as its exit value.
            assertEquals(0, (int) create.invokeExact(pthreadCreate, thread, MemorySegment.NULL,
                    bridge.pointer(CFunction.MALLOC), 100L));
            assertEquals(0, (int) join.invokeExact(pthreadJoin, thread.get(ValueLayout.JAVA_LONG, 0), result));
            long block = result.get(ValueLayout.JAVA_LONG, 0);

            assertNotEquals(0L, block);
            assertEquals(0L, block % 16);
            assertEquals(100L, bridge.sizeOf(MemorySegment.ofAddress(block)));
            assertEquals(100L, tracking.snapshot().liveBytes());

            assertEquals(0, (int) create.invokeExact(pthreadCreate, thread, MemorySegment.NULL,
                    bridge.pointer(CFunction.FREE), block));
            assertEquals(0, (int) join.invokeExact(pthreadJoin, thread.get(ValueLayout.JAVA_LONG, 0), MemorySegment.NULL));

            assertEquals(0L, bridge.liveBlocks());
            assertEquals(0L, tracking.snapshot().liveBytes());
            assertEquals(0L, bridge.unknownPointers());
        }
    }

    @Test
    void call_fromThousandVirtualThreads_everyBlockIntactAndNothingLive() throws InterruptedException {
        SlabAllocator slab = SlabAllocator.create();
        try (TrackingAllocator tracking = Tracking.builder(slab).jmx(false).build();
             NativeBridge bridge = NativeBridge.open(tracking)) {
            AtomicLong damaged = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 1000; t++) {
                int seed = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 20; i++) {
                        long size = 1 + (seed * 31L + i * 97L) % 3000;
                        long p = NativeCaller.call(bridge, CFunction.MALLOC, size);
                        NativeCaller.fill(p, size, seed);
                        Thread.yield(); // let other virtual threads run between the calls
                        long q = NativeCaller.call(bridge, CFunction.REALLOC, p, size * 2);
                        if (q == 0 || NativeCaller.firstMismatch(q, size, seed) != -1) {
                            damaged.incrementAndGet();
                        }
                        NativeCaller.call(bridge, CFunction.FREE, q);
                    }
                }));
            }
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(60)), "a virtual thread did not finish in 60 s: " + thread);
            }

            assertEquals(0L, damaged.get());
            assertEquals(0L, bridge.liveBlocks(), bridge.toString());
            assertEquals(0L, bridge.failures(), bridge.toString());
            assertEquals(0L, tracking.snapshot().liveBytes());
            assertEquals(20_000L, tracking.snapshot().allocations());
        } finally {
            slab.close();
        }
    }

    private static void compile(Path cc, Path library) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-pthread",
                "-o", library.toString(), C_SOURCE.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "cc did not finish in 120 s");
        assertEquals(0, process.exitValue(), "cc failed on " + C_SOURCE + ":\n" + output);
    }

    private static Optional<Path> onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
