package org.allocator4j.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.api.Resolution;

/**
 * The main job: resolves the global allocator, says which one was chosen and from which jar, runs a
 * short allocation workload on it and prints what it did.
 *
 * <p>Run with {@code mvn -q -DskipTests package exec:exec -pl allocator-bench -am}.
 */
public final class Main {
    private static final int ROUNDS = 20;
    private static final int LIVE_BLOCKS = 10_000;
    private static final long SEED = 42;

    private Main() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        GlobalAllocator allocator = GlobalAllocator.global();
        long resolveNanos = System.nanoTime() - start;
        Resolution resolution = GlobalAllocator.resolution();
        System.out.println(resolution.report());
        System.out.printf("global allocator: %s (first global() call took %.2f ms)%n",
                allocator.name(), resolveNanos / 1e6);
        resolution.chosenCandidate().ifPresent(c -> System.out.println("provided by: " + c.source()));

        Workload result = run(allocator);
        System.out.printf("workload: %d rounds of %d live blocks (16..4096 B, alignments 1..64), "
                        + "%d allocations, %d reallocations, %d frees, %,d bytes written and verified, "
                        + "peak live %,d bytes, %d corrupt blocks, %.1f ns per operation%n",
                ROUNDS, LIVE_BLOCKS, result.allocations, result.reallocations, result.frees,
                result.bytesChecked, result.peakLive, result.corrupt,
                (double) result.nanos / (result.allocations + result.reallocations + result.frees));
        if (result.corrupt != 0) {
            System.exit(1);
        }
    }

    /** What the workload did. */
    private static final class Workload {
        long allocations;
        long reallocations;
        long frees;
        long bytesChecked;
        long peakLive;
        long corrupt;
        long nanos;
    }

    private record Block(MemorySegment segment, Layout layout, byte tag) {
    }

    private static Workload run(GlobalAllocator allocator) {
        Workload w = new Workload();
        SplittableRandom random = new SplittableRandom(SEED);
        List<Block> live = new ArrayList<>(LIVE_BLOCKS);
        long liveBytes = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            while (live.size() < LIVE_BLOCKS) {
                Layout layout = Layout.of(16L << random.nextInt(9) >>> random.nextInt(0, 3), 1L << random.nextInt(7));
                byte tag = (byte) random.nextInt();
                MemorySegment segment = allocator.allocate(layout);
                segment.fill(tag);
                live.add(new Block(segment, layout, tag));
                w.allocations++;
                liveBytes += layout.size();
            }
            w.peakLive = Math.max(w.peakLive, liveBytes);
            for (int i = live.size() - 1; i >= 0; i -= 2) {
                Block block = live.get(i);
                if (random.nextInt(4) == 0) {
                    long newSize = Math.max(1, block.layout.size() * 2 >>> random.nextInt(3));
                    MemorySegment moved = allocator.reallocate(block.segment, block.layout, newSize);
                    checkPrefix(w, moved, Math.min(newSize, block.layout.size()), block.tag);
                    moved.fill(block.tag);
                    Layout grown = Layout.of(newSize, block.layout.alignment());
                    liveBytes += newSize - block.layout.size();
                    live.set(i, new Block(moved, grown, block.tag));
                    w.reallocations++;
                } else {
                    checkPrefix(w, block.segment, block.layout.size(), block.tag);
                    allocator.deallocate(block.segment, block.layout);
                    liveBytes -= block.layout.size();
                    live.set(i, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    w.frees++;
                }
            }
        }
        for (Block block : live) {
            checkPrefix(w, block.segment, block.layout.size(), block.tag);
            allocator.deallocate(block.segment, block.layout);
            w.frees++;
        }
        w.nanos = System.nanoTime() - start;
        return w;
    }

    private static void checkPrefix(Workload w, MemorySegment segment, long length, byte tag) {
        for (long i = 0; i < length; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, i) != tag) {
                w.corrupt++;
                return;
            }
        }
        w.bytesChecked += length;
    }
}
