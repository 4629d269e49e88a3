package org.allocator4j.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.Layout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * <b>Hazard: the cache of a thread that has died is flushed by another thread while a third thread frees
 * a block the dead thread allocated (a late free), and a block is handed out twice.</b> A dead
 * thread's cache is taken over without a lock on its stacks: {@code PlatformCaches.reclaimDead} relies on
 * {@code Thread.isAlive()} returning false only after everything the thread did (JLS 17.4.4), removes the
 * cache from the concurrent registry (the one removal that succeeds is the one thread that flushes it), clears its slot in the
 * thread-id table (which live threads write without a lock) and flushes it to the slabs. Reclamation runs
 * on {@code trim()}, when a slab is made, and when the number of caches doubles.
 *
 * <p>Public API only. Every round thread 1 starts a short-lived thread T that allocates four blocks,
 * keeps one ({@code y}) and frees three, so that T dies with two blocks in its cache (caches hold 2
 * blocks per class here) and one in the depot. Thread 1 joins T, frees {@code y} (the late free), then
 * allocates twice; thread 2 trims (reclaiming T's cache if T has died) and allocates. Every block taken
 * is claimed and stamped (see {@link Blocks}) and given back in the arbiter. A block <i>lost</i> in the
 * reclamation is not visible here (rounds share the allocator, so no round can count its blocks); the slab
 * module's unit test of a thread that dies with 200 cached blocks checks that none is lost.
 *
 * <p>Results: {@code r1} = 1 if thread 1's second block came from T's reclaimed cache; {@code r2} = 1 if
 * thread 2's block did; {@code r3} = violations (a block handed out while held, or a held block
 * overwritten).
 */
@JCStressTest
@Description("A dead thread's cache reclaimed by trim() while another thread frees that thread's block late")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE,
        desc = "T's cached blocks reached neither thread this round (not yet reclaimed, or reused elsewhere)")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "T's cache was reclaimed and thread 1's refill took one of its blocks")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "thread 2's trim reclaimed T's cache and its refill took one of T's blocks")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "T's cache was reclaimed and each thread took one of its two blocks")
@Outcome(expect = FORBIDDEN,
        desc = "a block handed out while another holder had it, or a held block overwritten (r3 > 0)")
@State
public class DeadThreadCacheReclaim {
    static final SlabAllocator SLAB = SlabAllocator.create(new SlabConfig("system", 4096, 0, 2, 1));
    static final Layout LAYOUT = Layout.of(64, 8);
    private static final long MARK_T = 0x5454_5454_5454_5454L;
    private static final long MARK_Y = 0x5959_5959_5959_5959L;
    private static final long MARK_1 = 0x3131_3131_3131_3131L;
    private static final long MARK_2 = 0x3232_3232_3232_3232L;

    /** T's four blocks: [0..2] freed by T (the last two stay in its cache), [3] = y, freed late by thread 1. */
    private final MemorySegment[] byT = new MemorySegment[4];
    private int badT;
    private MemorySegment z1;
    private MemorySegment z2;
    private int bad1;
    private MemorySegment w;
    private int bad2;

    @Actor
    public void thread1() {
        Thread t = new Thread(this::shortLived, "jcstress-short-lived");
        t.start();
        joinUninterruptibly(t); // T's actions happen-before this; thread 1 may now use what T left in the state
        MemorySegment y = byT[3];
        int bad = badT + giveBack(y, MARK_Y); // a null y is counted in badT
        z1 = Blocks.take(SLAB, LAYOUT, MARK_1);
        z2 = Blocks.take(SLAB, LAYOUT, MARK_1);
        bad1 = bad + (z1 == null ? 1 : 0) + (z2 == null ? 1 : 0);
    }

    /** Actors cannot throw checked exceptions; JCStress does not interrupt them, but keep the flag if it does. */
    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void shortLived() {
        for (int i = 0; i < byT.length; i++) {
            byT[i] = Blocks.take(SLAB, LAYOUT, i == 3 ? MARK_Y : MARK_T);
        }
        int bad = 0;
        for (int i = 0; i < 3; i++) {
            // A null is a claim that failed: the allocator handed out a block another holder still had.
            bad += (byT[i] == null ? 1 : 0) + giveBack(byT[i], MARK_T);
        }
        badT = bad + (byT[3] == null ? 1 : 0);
    }

    @Actor
    public void thread2() {
        SLAB.trim();
        w = Blocks.take(SLAB, LAYOUT, MARK_2);
        bad2 = w == null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = cachedByT(z2) ? 1 : 0;
        r.r2 = cachedByT(w) ? 1 : 0;
        int bad = bad1 + bad2;
        bad += giveBack(z1, MARK_1) + giveBack(z2, MARK_1) + giveBack(w, MARK_2);
        r.r3 = bad;
    }

    /** {@return whether {@code block} is one of the two blocks T's cache held when T died} */
    private boolean cachedByT(MemorySegment block) {
        return block != null && (is(byT[1], block) || is(byT[2], block));
    }

    private static boolean is(MemorySegment a, MemorySegment b) {
        return a != null && a.address() == b.address();
    }

    private static int giveBack(MemorySegment block, long marker) {
        return Blocks.giveBack(SLAB, block, LAYOUT, marker);
    }
}
