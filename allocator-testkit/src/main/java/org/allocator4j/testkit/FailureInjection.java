package org.allocator4j.testkit;

import java.util.Random;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Zig's {@code checkAllAllocationFailures} for allocators over a parent: a fixed workload runs once with a
 * parent that never fails, counting the parent requests n; then once for every k of 1..n (bounded by the
 * level), with a parent that fails its k-th request. Each run must either complete or throw
 * {@link AllocationException}; the allocator must keep working; and after every block is freed and the
 * allocator is {@linkplain AllocatorContract#close closed}, the parent must hold nothing.
 */
final class FailureInjection {
    /** The workload's seed: the same operations in every run, so that run k differs only by the failure. */
    private static final long SEED = 0x5EED_A110CL;
    private static final int OPERATIONS = 32;

    private FailureInjection() {
    }

    static void run(AllocatorContract contract, TestLevel level) throws Exception {
        long requests = runOnce(contract, Long.MAX_VALUE);
        long last = Math.min(requests, level.maxInjectionPoints);
        for (long k = 1; k <= last; k++) {
            runOnce(contract, k);
        }
    }

    /** {@return the parent requests the workload made (not counting the checks after it)} */
    private static long runOnce(AllocatorContract contract, long failAt) throws Exception {
        FailingParent parent = new FailingParent(failAt);
        GlobalAllocator allocator = contract.newAllocator(parent);
        Heap heap = new Heap(allocator);
        String run = failAt == Long.MAX_VALUE ? "with a parent that never fails"
                : "with a parent failing its request #" + failAt;
        heap.journal().record("new allocator over " + FailingParent.NAME + " " + run);
        try {
            try {
                workload(heap, contract.capabilities());
            } catch (AllocationException expected) {
                heap.journal().record("workload stopped by " + expected);
            } catch (ContractViolation violation) {
                throw violation;
            } catch (RuntimeException | Error other) {
                throw heap.journal().violation(Rule.FAILURE_INJECTION, run + ": the allocator threw " + other
                        + "; expected the parent's AllocationException (or one of its own)", other);
            }
            long workloadRequests = parent.requests();
            if (failAt != Long.MAX_VALUE && !parent.failed() && workloadRequests >= failAt) {
                throw heap.journal().violation(Rule.FAILURE_INJECTION, run + ": request #" + failAt
                        + " was not made although " + parent.requests() + " were");
            }
            Checks.usableAfterFailure(heap);
            heap.freeAll();
            heap.journal().record("close(allocator)");
            contract.close(allocator);
            if (!parent.misuse().isEmpty()) {
                throw heap.journal().violation(Rule.FAILURE_INJECTION, run + ": the allocator misused its parent: "
                        + parent.misuse());
            }
            if (!parent.live().isEmpty()) {
                throw heap.journal().violation(Rule.FAILURE_INJECTION, run + ": after every block was freed and "
                        + "the allocator closed, the parent still holds " + parent.live().size()
                        + " blocks (leaked): " + describe(parent));
            }
            return workloadRequests;
        } finally {
            parent.releaseLeaks();
        }
    }

    private static String describe(FailingParent parent) {
        StringBuilder text = new StringBuilder();
        parent.live().forEach((address, layout) ->
                text.append("0x").append(Long.toHexString(address)).append(' ').append(layout).append(", "));
        return text.length() > 400 ? text.substring(0, 400) + "..." : text.toString();
    }

    private static void workload(Heap heap, Capabilities capabilities) {
        Random random = new Random(SEED);
        long[] sizes = {8, 24, 100, 512, 4096, 70_000, 1 << 20};
        long[] alignments = {1, 8, 64, 4096};
        for (int i = 0; i < OPERATIONS; i++) {
            int choice = random.nextInt(10);
            if (choice < 5 || !heap.hasLive()) {
                long size = Math.min(sizes[random.nextInt(sizes.length)], capabilities.maxSize());
                long alignment = Math.min(alignments[random.nextInt(alignments.length)], capabilities.maxAlignment());
                Layout layout = Layout.of(size, alignment);
                if (choice == 0) {
                    heap.allocateZeroed(layout);
                } else {
                    heap.allocate(layout);
                }
            } else if (choice < 8) {
                heap.free(heap.pick(random.nextInt(1 << 16)));
            } else {
                long size = Math.min(sizes[random.nextInt(sizes.length)], capabilities.maxSize());
                heap.reallocate(heap.pick(random.nextInt(1 << 16)), size);
            }
        }
    }
}
