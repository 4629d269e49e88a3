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
 * <b>Hazard: a block freed by another thread than the one that allocated it is handed out twice.</b>
 * Thread A allocates two blocks and frees one, all in one size class, while thread B frees block
 * {@code x} (allocated by the thread that made the state), flushes its cache with {@code trim()} (so
 * {@code x} goes onto its slab's remote list at once, and empty slabs go back to the parent), and
 * allocates again. A's allocations run dry every round (a cache of two blocks), so A refills from the
 * same class pool, depot and slabs B pushes into: the refill under the pool lock races the lock-free
 * remote push and the trim.
 *
 * <p>Public API only: every step is {@code allocate}, {@code deallocate} or {@code trim()} of one shared
 * {@link SlabAllocator} with tiny caches (2 blocks per class) and a 1 ms decay, so the slow paths run on
 * nearly every call. Each block taken is claimed with a CAS on a tag inside it and stamped; it is checked
 * and freed in the arbiter (see {@link Blocks}), so memory stays bounded.
 *
 * <p>Results: {@code r1} = 1 if one of A's blocks is {@code x}; {@code r2} = 1 if B's block is {@code x};
 * {@code r3} = violations: a block handed out while another holder still had it (claim failed), or a
 * stamp overwritten while held.
 */
@JCStressTest
@Description("A block freed on thread B (and flushed by trim) while thread A allocates and frees in the same class")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE,
        desc = "x went to neither thread this round: it waits on its slab (or a third thread's refill took it)")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE,
        desc = "B's refill after its trim took x back from the slab it was just pushed to")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "A's refill took x from the slab's remote list between B's trim and B's refill")
@Outcome(expect = FORBIDDEN,
        desc = "x handed to both threads, or a block handed out while still held, or a held block overwritten")
@State
public class CrossThreadFreeReuse {
    /** One allocator for every state: tiny caches and a short decay to run the slow paths often. */
    static final SlabAllocator SLAB = SlabAllocator.create(new SlabConfig("system", 4096, 0, 2, 1));
    static final Layout LAYOUT = Layout.of(64, 8);
    private static final long MARK_X = 0x5858_5858_5858_5858L;
    private static final long MARK_W = 0x5757_5757_5757_5757L;
    private static final long MARK_A = 0x4141_4141_4141_4141L;
    private static final long MARK_B = 0x4242_4242_4242_4242L;

    /** Allocated by the state's creator, freed by B. */
    private final MemorySegment x;
    /** Allocated by the state's creator, freed by A. */
    private final MemorySegment w;
    private MemorySegment a1;
    private MemorySegment a2;
    private MemorySegment b;
    private int badA;
    private int badB;

    public CrossThreadFreeReuse() {
        x = Blocks.take(SLAB, LAYOUT, MARK_X);
        w = Blocks.take(SLAB, LAYOUT, MARK_W);
        if (x == null || w == null) {
            throw new IllegalStateException("a fresh block was already claimed: x=" + x + ", w=" + w);
        }
    }

    @Actor
    public void threadA() {
        a1 = Blocks.take(SLAB, LAYOUT, MARK_A);
        a2 = Blocks.take(SLAB, LAYOUT, MARK_A);
        int bad = (a1 == null ? 1 : 0) + (a2 == null ? 1 : 0);
        badA = bad + giveBack(w, MARK_W);
    }

    @Actor
    public void threadB() {
        int bad = giveBack(x, MARK_X);
        SLAB.trim();
        b = Blocks.take(SLAB, LAYOUT, MARK_B);
        badB = bad + (b == null ? 1 : 0);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        long xAddress = x.address();
        r.r1 = is(a1, xAddress) || is(a2, xAddress) ? 1 : 0;
        r.r2 = is(b, xAddress) ? 1 : 0;
        int bad = badA + badB;
        bad += giveBack(a1, MARK_A) + giveBack(a2, MARK_A) + giveBack(b, MARK_B);
        r.r3 = bad;
    }

    private static boolean is(MemorySegment block, long address) {
        return block != null && block.address() == address;
    }

    private static int giveBack(MemorySegment block, long marker) {
        return Blocks.giveBack(SLAB, block, LAYOUT, marker);
    }
}
