package org.allocator4j.compare.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * One pass of a trace over one allocator: what each event does, in one of three modes.
 * <ul>
 *   <li>{@link Mode#TIMED}: the allocator calls and the live-block table only, timed per batch of events
 *       (decoding the batch is outside the clock); no block is written, nothing is checked or sampled.</li>
 *   <li>{@link Mode#CHECKED}: every block is filled with its {@link BlockPattern} (so its pages are
 *       resident, as a program's would be), its size and alignment checked, its contents checked before it
 *       is freed or reallocated (when verifying), and the footprint sampled at the {@link SamplePlan}'s
 *       points.</li>
 *   <li>{@link Mode#LATENCY}: every allocator call is timed on its own into {@link Latencies}.</li>
 * </ul>
 * Events: {@code alloc} of a live id frees the old block first (counted); {@code free} of an id that is
 * not live is counted and skipped; {@code realloc} of one is counted and allocated 16-aligned (what malloc
 * gives, as mtrace traces assume); an {@link AllocationException} is counted as a failure and the replay
 * goes on (the old block stays live after a failed realloc). Blocks left live at the end are freed
 * ({@link #drain()}), outside any timing. Not thread-safe.
 */
final class ReplayLoop {
    /** What a pass does beside the allocator calls. */
    enum Mode { TIMED, CHECKED, LATENCY }

    private static final int MAX_PROBLEMS = 10;
    private static final int UNKNOWN_REALLOC_ALIGN_LOG2 = 4;

    private final GlobalAllocator allocator;
    private final Mode mode;
    private final boolean verify;
    private final LiveBlocks live;
    private final Latencies latencies;
    private final List<String> problems = new ArrayList<>();

    long failures, corrupt, contractErrors, unknownFrees, unknownReallocs, liveAgain, peakLive, events;
    long nanos;
    private long sizeCap = Long.MAX_VALUE;

    // CHECKED: the footprint samples
    private SamplePlan plan;
    private LongSupplier resident;
    private LongSupplier own;
    private int next;
    long[] sampleLive;
    long[] sampleResident;
    long[] sampleOwn;

    /**
     * @param verify    in {@link Mode#CHECKED}, whether to check block contents (blocks are filled either way)
     * @param latencies where {@link Mode#LATENCY} records, else unused (may be null)
     */
    ReplayLoop(GlobalAllocator allocator, Mode mode, boolean verify, LiveBlocks live, Latencies latencies) {
        this.allocator = allocator;
        this.mode = mode;
        this.verify = verify;
        this.live = live;
        this.latencies = latencies;
        live.clear();
    }

    /**
     * Samples {@code resident} and {@code own} at each of the {@code plan}'s points ({@link Mode#CHECKED}).
     *
     * @param own the allocator's own figure, or null if it has none
     */
    void sampleAt(SamplePlan plan, LongSupplier resident, LongSupplier own) {
        this.plan = plan;
        this.resident = resident;
        this.own = own;
        sampleLive = new long[plan.size()];
        sampleResident = new long[plan.size()];
        sampleOwn = new long[plan.size()];
        next = 0;
        sampleDue();
    }

    /**
     * Caps every block's size at {@code cap} bytes: what the warm-up does, so that it never frees a block
     * large enough for glibc to map it alone (from 128 KiB), which would raise glibc's dynamic mmap
     * threshold for the whole process and change how the measured replay's large blocks are placed.
     */
    void capSizes(long cap) {
        this.sizeCap = cap;
    }

    /** {@return the first problems met, described} */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** {@return the event count of sample {@code i}} */
    long samplePoint(int i) {
        return plan.point(i);
    }

    /** {@return the number of samples taken} */
    int samples() {
        return next;
    }

    /**
     * Replays every event of {@code source} from its start, stopping after {@code limit} events.
     *
     * @return the events replayed
     */
    long run(EventSource source, EventBatch batch, long limit) {
        source.restart();
        while (events < limit && source.fill(batch)) {
            int n = (int) Math.min(batch.length, limit - events);
            if (mode == Mode.TIMED) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    apply(batch, i);
                }
                nanos += System.nanoTime() - t0;
                events += n;
                if (live.bytes() > peakLive) {
                    peakLive = live.bytes(); // per batch: the exact peak comes from the checked pass
                }
            } else {
                for (int i = 0; i < n; i++) {
                    apply(batch, i);
                    events++;
                    if (live.bytes() > peakLive) {
                        peakLive = live.bytes();
                    }
                    if (plan != null) {
                        sampleDue();
                    }
                }
            }
        }
        return events;
    }

    private void apply(EventBatch batch, int i) {
        long id = batch.ids[i];
        switch (batch.kinds[i]) {
            case EventBatch.ALLOC -> alloc(id, Math.min(sizeCap, batch.sizes[i]), batch.alignLog2s[i]);
            case EventBatch.FREE -> free(id);
            default -> realloc(id, Math.min(sizeCap, batch.sizes[i]));
        }
    }

    private void sampleDue() {
        while (next < plan.size() && plan.point(next) == events) {
            sampleLive[next] = live.bytes();
            sampleResident[next] = resident.getAsLong();
            sampleOwn[next] = own == null ? -1 : own.getAsLong();
            next++;
        }
    }

    private void alloc(long id, long size, int alignLog2) {
        int slot = live.find(id);
        if (slot >= 0) {
            liveAgain++;
            problem("alloc of id=" + id + " while it is live: the old block is freed first");
            release(slot);
        }
        long alignment = 1L << alignLog2;
        Layout layout = Layout.of(size, alignment);
        MemorySegment block;
        long t0 = mode == Mode.LATENCY ? System.nanoTime() : 0;
        try {
            block = allocator.allocate(layout);
        } catch (AllocationException e) {
            failures++;
            problem(e.getMessage());
            return;
        }
        if (mode == Mode.LATENCY) {
            latencies.alloc(System.nanoTime() - t0);
        } else if (mode == Mode.CHECKED) {
            checkContract(block, id, size, alignment, "allocate");
            BlockPattern.fill(block, BlockPattern.value(id));
        }
        live.put(id, block.address(), size, alignment);
    }

    private void free(long id) {
        int slot = live.find(id);
        if (slot < 0) {
            unknownFrees++;
            return;
        }
        release(slot);
    }

    /** Frees the block in {@code slot} and forgets it. */
    private void release(int slot) {
        long size = live.size(slot);
        MemorySegment block = AddressSpace.segment(live.address(slot), size);
        if (mode == Mode.CHECKED) {
            check(block, size, live.id(slot), "before free");
        }
        Layout layout = Layout.of(size, live.alignment(slot));
        if (mode == Mode.LATENCY) {
            long t0 = System.nanoTime();
            allocator.deallocate(block, layout);
            latencies.free(System.nanoTime() - t0);
        } else {
            allocator.deallocate(block, layout);
        }
        live.remove(slot);
    }

    private void realloc(long id, long newSize) {
        int slot = live.find(id);
        if (slot < 0) {
            unknownReallocs++;
            alloc(id, newSize, UNKNOWN_REALLOC_ALIGN_LOG2);
            return;
        }
        long size = live.size(slot);
        long alignment = live.alignment(slot);
        MemorySegment block = AddressSpace.segment(live.address(slot), size);
        if (mode == Mode.CHECKED) {
            check(block, size, id, "before realloc");
        }
        MemorySegment moved;
        long t0 = mode == Mode.LATENCY ? System.nanoTime() : 0;
        try {
            moved = allocator.reallocate(block, Layout.of(size, alignment), newSize);
        } catch (AllocationException e) {
            failures++;
            problem("reallocate of id=" + id + " to newSize=" + newSize + " failed: " + e.getMessage());
            return; // the old block is still live
        }
        if (mode == Mode.LATENCY) {
            latencies.realloc(System.nanoTime() - t0);
        } else if (mode == Mode.CHECKED) {
            checkContract(moved, id, newSize, alignment, "reallocate");
            long keep = Math.min(size, newSize);
            check(moved, keep, id, "after realloc from size=" + size
                    + " to newSize=" + newSize + " (the first " + keep + " bytes must survive)");
            BlockPattern.fill(moved, BlockPattern.value(id));
        }
        live.update(slot, moved.address(), newSize);
    }

    /** Frees every block still live, outside any timing. */
    void drain() {
        for (int slot = 0; slot < live.capacity(); slot++) {
            if (live.occupied(slot)) {
                long size = live.size(slot);
                allocator.deallocate(AddressSpace.segment(live.address(slot), size),
                        Layout.of(size, live.alignment(slot)));
            }
        }
        live.clear();
    }

    /** {@return the number of blocks live now} */
    int liveBlocks() {
        return live.count();
    }

    private void check(MemorySegment block, long length, long id, String when) {
        if (!verify) {
            return;
        }
        long value = BlockPattern.value(id);
        long bad = BlockPattern.check(block, Math.min(length, block.byteSize()), value);
        if (bad >= 0) {
            corrupt++;
            problem(String.format("block id=%d (size=%d) is corrupt %s: byte at offset=%d is 0x%02x, expected 0x%02x",
                    id, block.byteSize(), when, bad, block.get(ValueLayout.JAVA_BYTE, bad),
                    BlockPattern.expected(value, bad)));
        }
    }

    private void checkContract(MemorySegment block, long id, long size, long alignment, String op) {
        if (block.byteSize() != size || (size > 0 && block.address() % alignment != 0)) {
            contractErrors++;
            problem(allocator.name() + " " + op + " of id=" + id + " returned a segment of byteSize="
                    + block.byteSize() + " at address=0x" + Long.toHexString(block.address())
                    + "; expected byteSize=" + size + ", aligned to " + alignment);
        }
    }

    private void problem(String text) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(text);
        }
    }
}
