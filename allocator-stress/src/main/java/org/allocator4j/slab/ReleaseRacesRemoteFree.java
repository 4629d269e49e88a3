package org.allocator4j.slab;

import org.openjdk.jcstress.infra.results.III_Result;

/**
 * What the actors of {@link TrimRacesRemoteFree} and {@link DecayRacesRemoteFree} do; the two differ only in
 * how thread 2 releases the empty slab ({@link #release()}). (JCStress reads a test's actors from its own
 * class, not from superclasses, so each test declares them and calls these.) The state has taken all 8 blocks of its slab
 * (full: on no list). Thread 1 frees blocks 0..3 (one remote push, as a thread cache's flush of another
 * thread's blocks does); thread 2 frees blocks 4..7, releases, and records whether the slab went back.
 *
 * <p>Results: {@code r1} = 1 if thread 2's release returned the slab; {@code r2} = slabs the pool holds
 * after the arbiter's own trim; {@code r3} = {@link QuarantineParent#retire}: 1 if the slab went back and
 * nothing wrote into it afterwards, 0 if something did, -1 if it never went back.
 */
abstract class ReleaseRacesRemoteFree extends OneSlabState {
    /** A decay of 0: an empty slab goes back at once, on a trim or a decay alike. */
    private static final Shared SHARED = Shared.withDecay(0);

    private int released;

    ReleaseRacesRemoteFree() {
        super(SHARED, BLOCKS);
    }

    /** Releases the pool's empty slabs to the parent, as the path under test does. */
    abstract void release();

    final void thread1Frees() {
        pool.pushBack(held, 0, BLOCKS / 2);
    }

    final void thread2FreesAndReleases() {
        pool.pushBack(held, BLOCKS / 2, BLOCKS / 2);
        release();
        released = slabs() == 0 ? 1 : 0;
    }

    final void arbitrate(III_Result r) {
        r.r1 = released;
        pool.trim();
        r.r2 = slabs();
        r.r3 = retire();
    }
}
