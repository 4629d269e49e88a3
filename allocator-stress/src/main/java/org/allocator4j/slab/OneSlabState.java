package org.allocator4j.slab;

import org.allocator4j.api.Layout;

/**
 * The state of the slab-level JCStress tests ({@link RemoteFreeDrain}, {@link TrimRacesRemoteFree},
 * {@link DecayRacesRemoteFree}): a {@link ClassPool} of its own, of 512-byte blocks, that holds one fresh
 * 4 KiB slab (8 blocks) and has handed out the first {@code taken} of them in {@link #held}. The pools of
 * one test class share a {@link Shared} heap: one {@link SlabHeap} (its slab map) over a
 * {@link QuarantineParent}, so that each state's arbiter can check that its slab went back to the parent
 * and was not written into after.
 */
abstract class OneSlabState {
    static final Layout LAYOUT = Layout.of(512, 8);
    static final int CLASS = SizeClass.of(LAYOUT.size(), LAYOUT.alignment());
    static final int SLAB_BYTES = 4096;
    static final int BLOCKS = SLAB_BYTES / 512;

    /** A slab heap with 4 KiB slabs and 2-block thread caches over a quarantine parent. */
    record Shared(QuarantineParent parent, SlabHeap heap) {
        static Shared withDecay(long decayMillis) {
            QuarantineParent parent = new QuarantineParent();
            return new Shared(parent, (SlabHeap) SlabAllocator.create(
                    new SlabConfig("system", SLAB_BYTES, 0, 2, decayMillis), parent));
        }
    }

    private final Shared shared;
    final ClassPool pool;
    final long[] held;
    /** The slab's address. */
    final long base;

    OneSlabState(Shared shared, int taken) {
        this.shared = shared;
        pool = new ClassPool(CLASS, SLAB_BYTES, 1, shared.heap());
        held = new long[taken];
        int n = pool.refill(held, 0, taken, LAYOUT);
        if (n != taken) {
            throw new IllegalStateException("a fresh slab gave n=" + n + " blocks; expected " + taken);
        }
        base = held[0] & -SLAB_BYTES;
    }

    /** {@return the number of slabs the pool holds} */
    final int slabs() {
        return (int) pool.counts()[0];
    }

    /** {@return {@link QuarantineParent#retire} of this state's slab: 1 if it went back and is intact} */
    final int retire() {
        return shared.parent().retire(base);
    }
}
