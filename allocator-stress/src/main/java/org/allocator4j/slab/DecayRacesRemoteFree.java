package org.allocator4j.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.allocator4j.api.Layout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * <b>Hazard: the decay returns an empty slab to the parent while another thread's remote free into it
 * is still in flight, so the late pusher writes its free-list links into memory the allocator gave away.</b>
 * The same hazard as {@link TrimRacesRemoteFree}, through the other path that releases slabs:
 * {@code ClassPool.decay()}, which every thread's housekeeping runs on its slow paths (here with a decay
 * of 0, so an empty slab goes back at once).
 * A pusher's last touch of a slab is meant to be its subtraction from {@code outstanding}; the decay
 * releases a slab only when, under the pool lock, {@code outstanding} reads 0 and the slab is not
 * {@code queued} for the pending stack (a pusher settles that flag before its subtraction). This test
 * checks that ordering: a {@link QuarantineParent} poisons every released slab and, in the arbiter,
 * reports any byte written after the release.
 *
 * <p>Internal API, for the same reason as {@link RemoteFreeDrain}: one slab, one remote free, one flush
 * and decay, every round. Each state has its own {@link ClassPool} of 512-byte blocks and takes all 8
 * blocks of one fresh 4 KiB slab (full: on no list). Thread 1 frees blocks 0..3 (one remote push, as a
 * thread cache's flush of another thread's blocks does); thread 2 frees blocks 4..7 and runs the pool's
 * decay, then records whether the slab went back.
 *
 * <p>Results: {@code r1} = 1 if thread 2's decay returned the slab; {@code r2} = slabs the pool holds
 * after the arbiter's own trim; {@code r3} = {@link QuarantineParent#retire}: 1 if the slab went back and
 * nothing wrote into it afterwards, 0 if something did, -1 if it never went back.
 */
@JCStressTest
@Description("The decay of an empty slab racing a remote free into the same slab")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE,
        desc = "thread 1's push was complete before the decay: the decay returned the slab, nothing touched it after")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
        desc = "the decay ran while thread 1's blocks were out or its push in flight: the slab was kept; "
                + "the arbiter's trim returned it")
@Outcome(expect = FORBIDDEN,
        desc = "the slab written into after it went back to the parent (r3 = 0), or kept although every block "
                + "came back (r2 != 0, r3 = -1)")
@State
public class DecayRacesRemoteFree {
    static final QuarantineParent PARENT = new QuarantineParent();
    /** Shared by every state for its slab map and parent; each state has its own pool. */
    static final SlabHeap HEAP = (SlabHeap) SlabAllocator.create(new SlabConfig("system", 4096, 0, 2, 0), PARENT);
    static final Layout LAYOUT = Layout.of(512, 8);
    static final int CLASS = SizeClass.of(LAYOUT.size(), LAYOUT.alignment());
    static final int SLAB_BYTES = 4096;
    static final int BLOCKS = SLAB_BYTES / 512;

    private final ClassPool pool = new ClassPool(CLASS, SLAB_BYTES, 1, HEAP);
    private final long[] held = new long[BLOCKS];
    private final long base;
    private int releasedByDecay;

    public DecayRacesRemoteFree() {
        int n = pool.refill(held, 0, held.length, LAYOUT);
        if (n != held.length) {
            throw new IllegalStateException("a fresh slab gave n=" + n + " blocks; expected " + held.length);
        }
        base = held[0] & -SLAB_BYTES;
    }

    @Actor
    public void thread1() {
        pool.pushBack(held, 0, BLOCKS / 2);
    }

    @Actor
    public void thread2() {
        pool.pushBack(held, BLOCKS / 2, BLOCKS / 2);
        pool.decay();
        releasedByDecay = pool.counts()[0] == 0 ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = releasedByDecay;
        pool.trim();
        r.r2 = (int) pool.counts()[0];
        r.r3 = PARENT.retire(base);
    }
}
