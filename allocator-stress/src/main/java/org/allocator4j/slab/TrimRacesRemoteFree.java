package org.allocator4j.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * <b>Hazard: a flush and trim return a slab to the parent while another thread's remote free into it is
 * still in flight, so the late pusher writes its free-list links into memory the allocator gave away.</b>
 * A pusher's last touch of a slab is meant to be its subtraction from {@code outstanding}; the trim
 * releases a slab only when, under the pool lock, {@code outstanding} reads 0 and the slab is not
 * {@code queued} for the pending stack (a pusher settles that flag before its subtraction). This test
 * checks that ordering: a {@link QuarantineParent} poisons every released slab and, in the arbiter,
 * reports any byte written after the release.
 *
 * <p>Internal API, for the same reason as {@link RemoteFreeDrain}: one slab, one remote free, one flush
 * and trim, every round. The actors are {@link ReleaseRacesRemoteFree}'s; here thread 2's release is
 * {@code trim()}, what {@link SlabAllocator#trim()} runs for each class after flushing the caller's cache.
 */
@JCStressTest
@Description("A flush and trim of a slab racing a remote free into the same slab")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE,
        desc = "thread 1's push was complete before the trim: the trim returned the slab, nothing touched it after")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
        desc = "the trim ran while thread 1's blocks were out or its push in flight: the slab was kept; "
                + "the arbiter's trim returned it")
@Outcome(expect = FORBIDDEN,
        desc = "the slab written into after it went back to the parent (r3 = 0), or kept although every block "
                + "came back (r2 != 0, r3 = -1)")
@State
public class TrimRacesRemoteFree extends ReleaseRacesRemoteFree {
    @Actor
    public void thread1() {
        thread1Frees();
    }

    @Actor
    public void thread2() {
        thread2FreesAndReleases();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        arbitrate(r);
    }

    @Override
    void release() {
        pool.trim();
    }
}
