package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.trace.TraceEvents;
import org.allocator4j.trace.TraceReader;

/**
 * The order of a trace recorded while threads allocate, reallocate and free each other's blocks. The
 * hazard: an address freed by one thread is handed to another at once, so a free recorded after the inner
 * free (as a listener would) can land after the other thread's allocation of the same address, and the
 * trace then frees the new block's id and allocates an id that is still live. The recorder takes one lock
 * around each inner call and its record; this property checks the trace is one order the calls happened in.
 */
class RecordingConcurrencyTest {
    private static final int THREADS = 4;
    private static final int OPERATIONS = 2_000;
    private static final int SLOTS = 64;
    /** How long a thread may take to finish its operations before the try fails naming it. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    /** A block the threads hold, in a slot any of them may take it from. */
    private record Held(MemorySegment block, Layout layout) {
    }

    /**
     * The seed picks each thread's operations, but the interleaving decides what the recorder sees: a smaller
     * seed is no simpler case, so shrinking is off. Tries follow the level ({@code jqwik.tries.default}).
     */
    @Property(shrinking = ShrinkingMode.OFF)
    void recordTo_fourThreadsSharingBlocks_traceIsConsistent(@ForAll long seed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrackingAllocator recorder = Tracking.builder(GlobalAllocator.system()).recordTo(bytes).sampleEvery(0)
                .jmx(false).build();
        AtomicReferenceArray<Held> slots = new AtomicReferenceArray<>(SLOTS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < OPERATIONS; i++) {
                            step(recorder, slots, random);
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "recording-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                if (!thread.join(JOIN_TIMEOUT)) {
                    thread.interrupt();
                    fail(thread.getName() + " did not finish its " + OPERATIONS + " operations in "
                            + JOIN_TIMEOUT.toSeconds() + " s (interrupted)");
                }
            }
            recorder.close(); // ends the trace; the blocks still held stay live in it
            assertEquals(List.of(), failures);
            assertTraceHasTheHeldBlocksLive(bytes.toByteArray(), slots);
        } finally {
            // a thread still running may hold the recorder's lock: freeing through it could hang the build too
            if (threads.stream().noneMatch(Thread::isAlive)) {
                recorder.close(); // again if the trace was ended: a no-op
                for (int i = 0; i < SLOTS; i++) {
                    Held h = slots.getAndSet(i, null);
                    if (h != null) {
                        recorder.deallocate(h.block(), h.layout()); // after the close: freed, not recorded
                    }
                }
            }
        }
    }

    /**
     * Replays {@code bytes}: no id allocated twice, no free or realloc of an id not live, and the ids live at
     * the end have the sizes of the blocks still in {@code slots}.
     */
    private static void assertTraceHasTheHeldBlocksLive(byte[] bytes, AtomicReferenceArray<Held> slots)
            throws IOException {
        Map<Long, Long> live = new HashMap<>(); // id -> size, replaying the trace
        Set<Long> allocated = new HashSet<>();
        try (TraceReader trace = new TraceReader("concurrent", new ByteArrayInputStream(bytes))) {
            while (trace.next()) {
                long id = trace.id();
                String at = "record " + (trace.count() - 1) + " (id=" + id + ")";
                switch (trace.kind()) {
                    case TraceEvents.ALLOC -> {
                        assertTrue(allocated.add(id), at + ": an id allocated twice");
                        live.put(id, trace.size());
                    }
                    case TraceEvents.FREE -> assertTrue(live.remove(id) != null, at + ": a free of an id not live");
                    default -> assertTrue(live.replace(id, trace.size()) != null, at + ": a realloc of an id not live");
                }
            }
        }
        Map<Long, Integer> held = new TreeMap<>();
        for (int i = 0; i < SLOTS; i++) {
            Held h = slots.get(i);
            if (h != null) {
                held.merge(h.layout().size(), 1, Integer::sum);
            }
        }
        Map<Long, Integer> liveAtEnd = new TreeMap<>();
        live.values().forEach(size -> liveAtEnd.merge(size, 1, Integer::sum));
        assertEquals(held, liveAtEnd, "the sizes of the ids live at the end are those of the blocks held");
    }

    /** Takes a random slot: fills it if empty, else frees or reallocates its block (maybe another thread's). */
    private static void step(TrackingAllocator allocator, AtomicReferenceArray<Held> slots, SplittableRandom random) {
        int slot = random.nextInt(SLOTS);
        Held held = slots.getAndSet(slot, null);
        if (held == null) {
            Layout layout = Layout.of(size(random), random.nextBoolean() ? 8 : 16);
            Held fresh = new Held(allocator.allocate(layout), layout);
            if (!slots.compareAndSet(slot, null, fresh)) {
                allocator.deallocate(fresh.block(), fresh.layout());
            }
        } else if (random.nextInt(3) == 0) {
            long newSize = random.nextInt(8) == 0 ? 0 : size(random); // 0: reallocating to zero frees
            MemorySegment moved = allocator.reallocate(held.block(), held.layout(), newSize);
            if (newSize != 0 && !slots.compareAndSet(slot, null, new Held(moved, Layout.of(newSize,
                    held.layout().alignment())))) {
                allocator.deallocate(moved, Layout.of(newSize, held.layout().alignment()));
            }
        } else {
            allocator.deallocate(held.block(), held.layout());
        }
    }

    /** Mostly small blocks (libc's thread caches), some past 1 KiB (its shared bins, reused across threads). */
    private static long size(SplittableRandom random) {
        return random.nextInt(4) == 0 ? 1024 + random.nextInt(64 * 1024) : 1 + random.nextInt(256);
    }
}
