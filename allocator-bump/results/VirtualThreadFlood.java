import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.bump.BumpArena;
import org.allocator4j.tracking.Tracking;

/**
 * One measurement of a flood of short virtual threads, each allocating, writing and freeing
 * {@value #BLOCKS} blocks of 64 bytes; run in a fresh JVM per measurement by {@code run-flood.sh}:
 * <pre>
 * java -Xmx512m --enable-native-access=ALL-UNNAMED -cp API:BUMP:TRACKING VirtualThreadFlood.java MODE THREADS
 * </pre>
 * MODE: {@code system}, {@code bump-thread} and {@code bump-shared} (the global bump allocator with that
 * chunking, through {@code GlobalAllocator.named("bump")}), {@code tracking-system} (tracking over system),
 * {@code scoped-bump} ({@code BumpArena.openScoped()} per thread), {@code scoped-confined}
 * ({@code Arena.ofConfined()} per thread). Prints {@code MODE THREADS WALL_MS VMHWM_KIB FAILED}: the wall
 * time from the first thread started to the last one done, the peak resident set ({@code VmHWM} of
 * {@code /proc/self/status}) at the end, and how many threads failed (each one's first failure goes to
 * standard error); exits with status 1 if any did.
 */
public final class VirtualThreadFlood {
    private static final int BLOCKS = 8;
    private static final Layout BLOCK = Layout.of(64, 8);

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        Runnable work = switch (mode) {
            case "system" -> global(GlobalAllocator.system());
            case "bump-thread", "bump-shared" -> {
                System.setProperty("allocator4j.bump.chunking", mode.substring("bump-".length()));
                yield global(GlobalAllocator.named("bump"));
            }
            case "tracking-system" -> global(Tracking.wrap(GlobalAllocator.system()));
            case "scoped-bump" -> scoped(true);
            case "scoped-confined" -> scoped(false);
            default -> throw new IllegalArgumentException("mode=" + mode
                    + "; expected system, bump-thread, bump-shared, tracking-system, scoped-bump or scoped-confined");
        };
        LongAdder failed = new LongAdder();
        Runnable counted = () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                if (failed.sum() == 0) {
                    e.printStackTrace();
                }
                failed.increment();
            }
        };
        long start = System.nanoTime();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                virtual.execute(counted);
            }
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println(mode + " " + threads + " " + wallMs + " " + vmHwmKib() + " " + failed.sum());
        if (failed.sum() > 0) {
            System.exit(1);
        }
    }

    private static Runnable global(GlobalAllocator allocator) {
        return () -> {
            MemorySegment[] blocks = new MemorySegment[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                blocks[i] = allocator.allocate(BLOCK);
                blocks[i].set(ValueLayout.JAVA_LONG, 0, i);
            }
            for (MemorySegment block : blocks) {
                allocator.deallocate(block, BLOCK);
            }
        };
    }

    private static Runnable scoped(boolean bump) {
        return () -> {
            try (Arena arena = bump ? BumpArena.openScoped() : Arena.ofConfined()) {
                for (int i = 0; i < BLOCKS; i++) {
                    arena.allocate(BLOCK.size(), BLOCK.alignment()).set(ValueLayout.JAVA_LONG, 0, i);
                }
            }
        };
    }

    private static long vmHwmKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
