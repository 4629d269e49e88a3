package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.compare.footprint.FootprintProbe;

/**
 * The state of one replay of a trace on one allocator, and what each event does to it (see
 * {@link Replayer}): the live blocks, the counters, the footprint samples. Not thread-safe; used by the
 * replaying thread only.
 */
public final class ReplayRun {
    private static final int MAX_PROBLEMS = 10;
    /** Alignment of a block a realloc of an unknown id allocates: what malloc gives, as mtrace traces assume. */
    private static final long UNKNOWN_REALLOC_ALIGNMENT = 16;

    /** A live block. */
    public static final class Block {
        MemorySegment segment;
        long size;
        final long alignment;
        final long serial;
        final long value;

        Block(MemorySegment segment, long size, long alignment, long serial) {
            this.segment = segment;
            this.size = size;
            this.alignment = alignment;
            this.serial = serial;
            this.value = BlockPattern.value(serial);
        }

        Layout layout() {
            return Layout.of(size, alignment);
        }
    }

    public final GlobalAllocator allocator;
    public final FootprintProbe probe;
    public final String name;
    public final Map<Long, Block> live = new HashMap<>();
    public final Set<Long> failedIds = new HashSet<>();
    public final List<String> problems = new ArrayList<>();
    long serial, liveBytes, liveLarge, peakLive, calls, callNanos, samplingNanos;
    long failures, corrupt, contractErrors, unknownFrees, unknownReallocs;
    public long baseline;
    public int sampleCount;
    long[] sampleEvents, sampleLive, sampleFootprint;

    private final boolean verify;
    private final long timerOverhead;

    /**
     * @param verify        whether to fill and check the integrity pattern
     * @param timerOverhead the cost of one {@code System.nanoTime()}, subtracted from each timed call
     */
    ReplayRun(GlobalAllocator allocator, FootprintProbe probe, String name, int capacity, boolean verify,
              long timerOverhead) {
        this.verify = verify;
        this.timerOverhead = timerOverhead;
        this.allocator = allocator;
        this.probe = probe;
        this.name = name;
        sampleEvents = new long[capacity];
        sampleLive = new long[capacity];
        sampleFootprint = new long[capacity];
    }

    public void problem(String text) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(text);
        }
    }

    public void sample(long event) {
        long start = System.nanoTime();
        if (sampleCount == sampleEvents.length) {
            int capacity = sampleCount * 2;
            sampleEvents = Arrays.copyOf(sampleEvents, capacity);
            sampleLive = Arrays.copyOf(sampleLive, capacity);
            sampleFootprint = Arrays.copyOf(sampleFootprint, capacity);
        }
        sampleEvents[sampleCount] = event;
        sampleLive[sampleCount] = liveBytes;
        sampleFootprint[sampleCount] = probe.available() ? Math.max(0, probe.bytes(liveLarge) - baseline) : 0;
        sampleCount++;
        samplingNanos += System.nanoTime() - start;
    }

    public void check(Block block, MemorySegment segment, long length, long id, String when) {
        if (!verify) {
            return;
        }
        long bad = BlockPattern.check(segment, Math.min(length, segment.byteSize()), block.value);
        if (bad >= 0) {
            corrupt++;
            problem(String.format("block id=%d (size=%d, alignment=%d) is corrupt %s: byte at offset=%d is "
                            + "0x%02x, expected 0x%02x", id, block.size, block.alignment, when, bad,
                    segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, bad),
                    BlockPattern.expected(block.value, bad)));
        }
    }

    public void checkContract(MemorySegment segment, long id, long size, long alignment, String op) {
        if (segment.byteSize() != size || (size > 0 && segment.address() % alignment != 0)) {
            contractErrors++;
            problem(name + " " + op + " of id=" + id + " returned a segment of byteSize=" + segment.byteSize()
                    + " at address=0x" + Long.toHexString(segment.address()) + "; expected byteSize=" + size
                    + ", aligned to " + alignment);
        }
    }

    public void alloc(long id, long size, long alignment) {
        Block old = live.remove(id);
        if (old != null) {
            problem("alloc of id=" + id + " while it is live: the old block is freed first");
            free(id, old);
        }
        failedIds.remove(id);
        Layout layout = Layout.of(size, alignment);
        MemorySegment segment;
        long t0 = System.nanoTime();
        try {
            segment = allocator.allocate(layout);
        } catch (AllocationException e) {
            failed(id, e);
            return;
        } finally {
            calls++;
            callNanos += System.nanoTime() - t0 - timerOverhead;
        }
        checkContract(segment, id, size, alignment, "allocate");
        Block block = new Block(segment, size, alignment, serial++);
        if (verify) {
            BlockPattern.fill(segment, block.value);
        }
        live.put(id, block);
        liveBytes += size;
        liveLarge += large(size);
    }

    public void free(long id) {
        Block block = live.remove(id);
        if (block == null) {
            if (!failedIds.remove(id)) {
                unknownFrees++;
            }
            return;
        }
        free(id, block);
    }

    public void free(long id, Block block) {
        check(block, block.segment, block.size, id, "before free");
        long t0 = System.nanoTime();
        try {
            allocator.deallocate(block.segment, block.layout());
        } finally {
            calls++;
            callNanos += System.nanoTime() - t0 - timerOverhead;
        }
        liveBytes -= block.size;
        liveLarge -= large(block.size);
    }

    public void realloc(long id, long newSize) {
        Block block = live.get(id);
        if (block == null) {
            if (!failedIds.remove(id)) {
                unknownReallocs++;
            }
            alloc(id, newSize, UNKNOWN_REALLOC_ALIGNMENT);
            return;
        }
        long keep = Math.min(block.size, newSize);
        check(block, block.segment, block.size, id, "before realloc");
        MemorySegment moved;
        long t0 = System.nanoTime();
        try {
            moved = allocator.reallocate(block.segment, block.layout(), newSize);
        } catch (AllocationException e) {
            failures++;
            problem(name + " failed to reallocate id=" + id + " to newSize=" + newSize + ": " + e.getMessage());
            return; // the old block is still live
        } finally {
            calls++;
            callNanos += System.nanoTime() - t0 - timerOverhead;
        }
        checkContract(moved, id, newSize, block.alignment, "reallocate");
        check(block, moved, keep, id, "after realloc from size=" + block.size + " to newSize=" + newSize
                + " (the first " + keep + " bytes must survive)");
        liveBytes += newSize - block.size;
        liveLarge += large(newSize) - large(block.size);
        block.segment = moved;
        block.size = newSize;
        if (verify) {
            BlockPattern.fill(moved, block.value);
        }
    }

    public void failed(long id, AllocationException e) {
        failures++;
        failedIds.add(id);
        problem(e.getMessage());
    }

    /** {@return {@code size} rounded up to pages if it is a large block that malloc may map alone, else 0} */
    private static long large(long size) {
        return size < FootprintProbe.LARGE_BLOCK ? 0 : (size + 4096 + 4095) & -4096L;
    }
}
