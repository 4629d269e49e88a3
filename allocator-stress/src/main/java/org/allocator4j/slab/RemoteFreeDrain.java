package org.allocator4j.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * <b>Hazard: two threads push blocks of one slab onto its lock-free remote list while a third drains it,
 * and a block is lost or handed out twice.</b> The remote list is a chain through the free blocks' first
 * words: a pusher links its run of blocks, then swings the head with one CAS ({@code Slab.pushRemote});
 * the owner of the pool lock takes the whole chain with one getAndSet ({@code Slab.take}), keeps what it
 * needs and moves the rest to the slab's local list. Around that sit the slab's {@code outstanding}
 * count (subtracted by pushers, added to under the lock), its {@code queued} flag and the pool's
 * lock-free pending stack, which {@code refill} drains first.
 *
 * <p>Internal API: the race needs two pushes onto <i>one</i> slab racing <i>one</i> drain, which the
 * public API reaches only by chance (thread caches and the depot sit in between), so each state gets its
 * own {@link ClassPool} of 512-byte blocks with one 4 KiB slab (8 blocks) and calls
 * {@code pushBack}/{@code refill} directly, as thread-cache flushes and refills do ({@link OneSlabState}).
 *
 * <p>The state takes 7 of the slab's 8 blocks. Thread 1 frees blocks 0..2, then block 6 (two pushes);
 * thread 2 frees blocks 3..5, then refills 2 blocks (draining the remote list). The arbiter gives those 2
 * back, then refills all 8 at once, checks they are 8 distinct blocks of the slab, gives them back and
 * trims the pool, which must return the slab to the parent untouched after its release.
 *
 * <p>Results: {@code r1} = how many of thread 2's refilled blocks thread 1 had freed (0..2);
 * {@code r2} = blocks the arbiter recovered, or -1 if they were not 8 distinct blocks of the slab;
 * {@code r3} = slabs the pool holds after the final trim; {@code r4} = 1 if the slab went back to the
 * parent and nothing wrote into it afterwards ({@link QuarantineParent#retire}).
 */
@JCStressTest
@Description("Two remote frees onto one slab's lock-free list racing the owner's drain (refill)")
@Outcome(id = "0, 8, 0, 1", expect = ACCEPTABLE,
        desc = "the drain took thread 2's own blocks (thread 1's pushes came later or lie below them)")
@Outcome(id = "1, 8, 0, 1", expect = ACCEPTABLE,
        desc = "thread 1's second push (block 6) landed on top between thread 2's push and its drain")
@Outcome(id = "2, 8, 0, 1", expect = ACCEPTABLE,
        desc = "both of thread 1's pushes landed between thread 2's push and its drain")
@Outcome(expect = FORBIDDEN,
        desc = "a block lost or duplicated (r2 != 8), the slab kept after every block came back (r3 != 0), "
                + "or the slab written into after its release (r4 != 1)")
@State
public class RemoteFreeDrain extends OneSlabState {
    /** A decay of a minute: the slab is not released while the test's blocks come and go, only by its trim. */
    private static final Shared SHARED = Shared.withDecay(60_000);

    private final long[] drained = new long[2];
    private int drainedCount;

    public RemoteFreeDrain() {
        super(SHARED, BLOCKS - 1);
    }

    @Actor
    public void thread1() {
        pool.pushBack(held, 0, 3);
        pool.pushBack(held, 6, 1);
    }

    @Actor
    public void thread2() {
        pool.pushBack(held, 3, 3);
        drainedCount = pool.refill(drained, 0, drained.length, LAYOUT);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        int fromThread1 = 0;
        for (int i = 0; i < drainedCount; i++) {
            long d = drained[i];
            if (d == held[0] || d == held[1] || d == held[2] || d == held[6]) {
                fromThread1++;
            }
        }
        r.r1 = drainedCount == drained.length ? fromThread1 : -1;
        pool.pushBack(drained, 0, drainedCount);
        long[] all = new long[2 * BLOCKS]; // room for more than the slab has: a duplicating chain shows as n > 8
        int n = pool.refill(all, 0, all.length, LAYOUT);
        r.r2 = distinctBlocksOfSlab(all, n) ? n : -1;
        pool.pushBack(all, 0, n);
        pool.trim();
        r.r3 = slabs();
        r.r4 = retire();
    }

    private boolean distinctBlocksOfSlab(long[] blocks, int n) {
        long seen = 0; // one bit per block index
        for (int i = 0; i < n; i++) {
            long offset = blocks[i] - base;
            if (offset < 0 || offset >= SLAB_BYTES || offset % 512 != 0) {
                return false;
            }
            long bit = 1L << (offset / 512);
            if ((seen & bit) != 0) {
                return false;
            }
            seen |= bit;
        }
        return true;
    }
}
