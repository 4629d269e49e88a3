package org.allocator4j.testkit;

import java.util.List;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * Genuine exhaustion: an allocator over a parent limited to {@value #LIMIT_BYTES} bytes is filled with
 * blocks of realistic sizes until a request fails. The failure must be an {@link AllocationException}
 * naming the request and the allocator under test (not only its parent); every block must be intact;
 * once all are freed, the allocator must serve the same requests again: at least half as many as the
 * first time in round 2, and from then on as many as in round 2 (one fewer at worst), {@value #ROUNDS}
 * rounds in all, so that what a round loses shows.
 */
final class Exhaustion {
    /** The parent's limit. */
    static final long LIMIT_BYTES = 64L << 20;
    /** The realistic sizes, in turn. */
    private static final long[] SIZES = {64, 4096, 24, 65_536, 512, 1L << 20, 200_000, 16_384};
    private static final long[] ALIGNMENTS = {8, 16, 64, 8};
    /** Rounds of exhaustion: what a round leaks, the next ones show. */
    static final int ROUNDS = 6;

    private Exhaustion() {
    }

    static void run(AllocatorContract contract) throws Exception {
        FailingParent parent = FailingParent.limitedTo(LIMIT_BYTES);
        GlobalAllocator allocator = contract.newAllocator(parent);
        Heap heap = new Heap(allocator);
        heap.journal().record("new allocator over a parent limited to " + LIMIT_BYTES + " bytes");
        try {
            int first = fill(heap, contract.capabilities(), "round 1");
            freeNewestFirst(heap);
            int second = 0;
            for (int round = 2; round <= ROUNDS; round++) {
                int served = fill(heap, contract.capabilities(), "round " + round + ", after every block was freed");
                // Round 2 may serve less (a quarantine, a cache of the allocator's own keeps some memory);
                // from then on nothing may be lost per round.
                int expected = round == 2 ? first / 2 : second - 1;
                if (served < expected) {
                    throw heap.journal().violation(Rule.EXHAUSTION, "after every block was freed the allocator"
                            + " served " + served + " blocks before failing again in round " + round + "; round 1"
                            + " served " + first + (round == 2 ? "" : ", round 2 " + second) + "; expected at least "
                            + expected + " (the same requests in the same order)");
                }
                if (round == 2) {
                    second = served;
                }
                freeNewestFirst(heap);
            }
            Checks.usableAfterFailure(heap);
            heap.journal().record("close(allocator)");
            contract.close(allocator);
            if (parent.heldBytes() != 0) {
                throw heap.journal().violation(Rule.ACCOUNTING, "after exhaustion, every block freed and the "
                        + "allocator closed, the parent still holds " + parent.heldBytes() + " bytes; expected 0");
            }
        } finally {
            parent.releaseLeaks();
        }
    }

    /** Allocates until a request fails; {@return how many blocks it served} */
    private static int fill(Heap heap, Capabilities capabilities, String round) {
        long requested = 0;
        for (int i = 0; ; i++) {
            Layout layout = Layout.of(Math.min(SIZES[i % SIZES.length], capabilities.maxSize()),
                    Math.min(ALIGNMENTS[i % ALIGNMENTS.length], capabilities.maxAlignment()));
            try {
                heap.allocate(layout);
            } catch (ContractViolation violation) {
                throw violation;
            } catch (RuntimeException other) {
                if (!(other instanceof AllocationException)) {
                    throw heap.journal().violation(Rule.EXHAUSTION, round + ": allocate(" + layout + ") threw " + other
                            + " when the parent was exhausted; expected AllocationException", other);
                }
                AllocationException e = (AllocationException) other;
                GlobalAllocator allocator = heap.allocator();
                if (!layout.equals(e.layout()) || !allocator.name().equals(e.allocatorName())) {
                    throw heap.journal().violation(Rule.EXHAUSTION, round + ": allocate(" + layout + ") failed, "
                            + "the parent exhausted, with " + e + " naming layout=" + e.layout() + " and allocatorName="
                            + e.allocatorName() + "; expected layout=" + layout + " and allocatorName=" + allocator.name(), e);
                }
                heap.verifyAll(round + ": after the allocator was exhausted");
                heap.journal().record(round + ": exhausted after " + i + " blocks (" + requested + " bytes)");
                return i;
            }
            requested += layout.size();
            if (requested > 4 * LIMIT_BYTES) {
                throw heap.journal().violation(Rule.ACCOUNTING, round + ": the allocator served " + requested
                        + " bytes in " + (i + 1) + " live blocks over a parent limited to " + LIMIT_BYTES
                        + " bytes: it takes memory from elsewhere than its parent");
            }
        }
    }

    private static void freeNewestFirst(Heap heap) {
        List<Block> blocks = heap.live().all();
        for (int i = blocks.size() - 1; i >= 0; i--) {
            heap.free(blocks.get(i));
        }
    }
}
