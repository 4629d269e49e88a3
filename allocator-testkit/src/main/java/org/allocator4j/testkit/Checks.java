package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/** The single-threaded checks of {@link AllocatorContract}, each on a fresh allocator. */
final class Checks {

    /** A check's body, given a fresh allocator's {@link Heap}. */
    @FunctionalInterface
    interface Body {
        void run(Heap heap) throws Exception;
    }

    private Checks() {
    }

    /**
     * A check's body that may close the allocator itself, as its last step, through {@code close}: the
     * allocator is then not closed again.
     */
    @FunctionalInterface
    interface ClosingBody {
        void run(Heap heap, Close close) throws Exception;
    }

    /** Closes the allocator under check; at most once. */
    @FunctionalInterface
    interface Close {
        void run() throws Exception;
    }

    /** Runs {@code body} on a fresh allocator and closes it (after a failure too, the failure first). */
    static void onFresh(AllocatorContract contract, Body body) throws Exception {
        onFresh(contract, (heap, close) -> body.run(heap));
    }

    /**
     * Runs {@code body} on a fresh allocator and closes it, unless the body did (after a failure too, the
     * failure first).
     */
    static void onFresh(AllocatorContract contract, ClosingBody body) throws Exception {
        GlobalAllocator allocator = contract.newAllocator();
        Heap heap = new Heap(allocator);
        boolean[] closed = {false};
        Close close = () -> {
            if (!closed[0]) {
                closed[0] = true;
                contract.close(allocator);
            }
        };
        Throwable failure = null;
        try {
            body.run(heap, close);
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                close.run();
            } catch (Exception e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    static void exactSizeAndAlignment(AllocatorContract contract, Layout layout) throws Exception {
        onFresh(contract, heap -> {
            if (layout.size() > Ranges.WHOLE_PATTERN_LIMIT) {
                Ranges.allocateAndFree(heap, layout, false);
                Ranges.allocateAndFree(heap, layout, true);
                return;
            }
            Block block = heap.allocate(layout);
            Block zeroed = heap.allocateZeroed(layout);
            heap.free(block);
            heap.free(zeroed);
        });
    }

    static void noOverlapAndIntegrity(AllocatorContract contract, List<Layout> layouts, long order) throws Exception {
        onFresh(contract, heap -> {
            for (Layout layout : layouts) {
                Block block = heap.allocate(layout);
                heap.verifyAll("after " + block + " was allocated");
            }
            List<Block> blocks = new ArrayList<>(heap.live().all());
            Collections.shuffle(blocks, new Random(order));
            for (Block block : blocks) {
                heap.free(block);
                heap.verifyAll("after " + block + " was freed");
            }
        });
    }

    static void zeroedAfterReuse(AllocatorContract contract, List<Layout> layouts) throws Exception {
        onFresh(contract, heap -> {
            List<Block> dirty = new ArrayList<>();
            for (Layout layout : layouts) {
                dirty.add(heap.allocate(layout)); // allocate() fills it with its pattern: dirty memory
            }
            for (int i = dirty.size() - 1; i >= 0; i--) {
                heap.free(dirty.get(i));
            }
            for (Layout layout : layouts) {
                heap.allocateZeroed(layout);
            }
            heap.freeAll();
        });
    }

    static void reallocateKeepsContents(AllocatorContract contract, Layout layout, long newSize, Layout neighbour)
            throws Exception {
        onFresh(contract, heap -> {
            Block before = heap.allocate(neighbour);
            Block block = heap.allocate(layout);
            Block moved = heap.reallocate(block, newSize);
            heap.verifyAll("after " + moved + " was reallocated");
            heap.free(before);
            Block grown = heap.reallocate(moved, Math.max(newSize, layout.size()) + 1);
            heap.free(grown);
        });
    }

    static void reallocateFailureKeepsBlock(AllocatorContract contract, Layout layout, long impossibleSize)
            throws Exception {
        long newSize = Math.min(impossibleSize, Long.MAX_VALUE - (layout.alignment() - 1));
        onFresh(contract, heap -> {
            Block block = heap.allocate(layout);
            try {
                Block moved = heap.reallocate(block, newSize);
                heap.free(moved);
                throw heap.journal().violation(Rule.FAILURE_EXCEPTION, "reallocate(" + block + ", newSize="
                        + newSize + ") returned " + moved + "; expected AllocationException");
            } catch (AllocationException expected) {
                // Heap.reallocate verified the old block is live and intact.
            } catch (ContractViolation violation) {
                throw violation;
            } catch (Throwable other) {
                throw heap.journal().violation(Rule.FAILURE_EXCEPTION, "reallocate(" + block + ", newSize="
                        + newSize + ") threw " + other + "; expected AllocationException", other);
            }
            heap.free(block);
            usableAfterFailure(heap);
        });
    }

    static void zeroSizeRule(AllocatorContract contract, long alignment, long size) throws Exception {
        Layout empty = Layout.of(0, alignment);
        onFresh(contract, heap -> {
            try {
                heap.journal().record("deallocate(" + empty + ".dangling(), " + empty + ")");
                heap.allocator().deallocate(empty.dangling(), empty);
                Block zero = heap.allocate(empty);
                Block zeroed = heap.allocateZeroed(empty);
                heap.free(zeroed);
                Block grown = heap.reallocate(zero, size);
                Block shrunk = heap.reallocate(grown, 0);
                heap.free(shrunk);
            } catch (ContractViolation violation) {
                throw violation;
            } catch (RuntimeException e) {
                throw heap.journal().violation(Rule.ZERO_SIZE, "a zero-size operation with " + empty
                        + " threw " + e, e);
            }
        });
    }

    static void impossibleRequest(AllocatorContract contract, Layout layout, boolean zeroed) throws Exception {
        onFresh(contract, heap -> {
            GlobalAllocator allocator = heap.allocator();
            String operation = (zeroed ? "allocateZeroed(" : "allocate(") + layout + ")";
            heap.journal().record(operation);
            try {
                MemorySegment block = zeroed ? allocator.allocateZeroed(layout) : allocator.allocate(layout);
                allocator.deallocate(block, layout);
                throw heap.journal().violation(Rule.FAILURE_EXCEPTION, operation + " returned a block at 0x"
                        + Long.toHexString(block.address()) + "; expected AllocationException");
            } catch (AllocationException e) {
                if (!layout.equals(e.layout()) || !allocator.name().equals(e.allocatorName())) {
                    throw heap.journal().violation(Rule.FAILURE_EXCEPTION, operation + " threw " + e
                            + " naming layout=" + e.layout() + " and allocatorName=" + e.allocatorName()
                            + "; expected layout=" + layout + " and allocatorName=" + allocator.name(), e);
                }
            } catch (ContractViolation violation) {
                throw violation;
            } catch (Throwable other) {
                throw heap.journal().violation(Rule.FAILURE_EXCEPTION, operation + " threw " + other
                        + "; expected AllocationException naming the layout and the allocator", other);
            }
            usableAfterFailure(heap);
        });
    }

    static void invalidArguments(AllocatorContract contract) throws Exception {
        onFresh(contract, heap -> {
            heap.journal().record("allocate(null)");
            expect(heap, NullPointerException.class, "allocate(null)", () -> heap.allocator().allocate(null));
            Block block = heap.allocate(Layout.of(64, 8));
            String operation = "reallocate(" + block + ", newSize=-1)";
            heap.journal().record(operation);
            expect(heap, IllegalArgumentException.class, operation,
                    () -> heap.allocator().reallocate(block.segment(), block.layout(), -1));
            heap.live().verify(block, Rule.REALLOC_FAILURE, "after " + operation + " failed");
            String overflowing = "reallocate(" + block + ", newSize=" + Long.MAX_VALUE + ")";
            heap.journal().record(overflowing);
            expect(heap, IllegalArgumentException.class, overflowing,
                    () -> heap.allocator().reallocate(block.segment(), block.layout(), Long.MAX_VALUE));
            heap.live().verify(block, Rule.REALLOC_FAILURE, "after " + overflowing + " failed");
            heap.free(block);
            usableAfterFailure(heap);
        });
    }

    private static void expect(Heap heap, Class<? extends RuntimeException> type, String operation, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (type.isInstance(e)) {
                return;
            }
            throw heap.journal().violation(Rule.FAILURE_EXCEPTION, operation + " threw " + e + "; expected "
                    + type.getSimpleName(), e);
        }
        throw heap.journal().violation(Rule.FAILURE_EXCEPTION, operation + " returned normally; expected "
                + type.getSimpleName());
    }

    /** Checks that the allocator still allocates, writes and frees after a failure. */
    static void usableAfterFailure(Heap heap) {
        try {
            Block small = heap.allocate(Layout.of(64, 16));
            Block page = heap.allocate(Layout.of(4096, 4096));
            heap.free(small);
            heap.free(page);
        } catch (ContractViolation violation) {
            throw violation;
        } catch (RuntimeException e) {
            throw heap.journal().violation(Rule.USABLE_AFTER_FAILURE, "a small request after the failure threw "
                    + e, e);
        }
    }

    static void reuseBounded(AllocatorContract contract, TestLevel level) throws Exception {
        onFresh(contract, heap -> {
            GlobalAllocator allocator = heap.allocator();
            Layout layout = Layout.of(Math.min(1L << 20, contract.capabilities().maxSize()), 64);
            long bound = Math.max(64L << 20, 16 * layout.size());
            for (int i = 0; i < 16; i++) { // warm up: the allocator's and the JVM's steady state
                MemorySegment block = allocator.allocate(layout);
                block.fill((byte) i);
                allocator.deallocate(block, layout);
            }
            // Resident memory, and where glibc can say it, malloc's bytes in use: a block leaked into memory
            // already resident (free space of malloc's arenas) does not grow the first, only the second.
            boolean malloc = MallocStatistics.isAvailable();
            long base = ResidentMemory.bytes();
            long mallocBase = malloc ? MallocStatistics.bytesInUse() : 0;
            heap.journal().record("loop of " + level.reuseIterations + " x { allocate(" + layout
                    + "), fill, deallocate } after resident=" + base + " bytes");
            for (int i = 1; i <= level.reuseIterations; i++) {
                MemorySegment block = allocator.allocate(layout);
                block.fill((byte) i); // touch every page, so that leaked memory becomes resident
                allocator.deallocate(block, layout);
                if (i % 8 == 0) {
                    // Growth from the lowest reading yet: memory the JVM or earlier checks give back while the
                    // loop runs (a heap uncommit, a delayed munmap) must not hide what the allocator keeps.
                    long resident = ResidentMemory.bytes();
                    base = Math.min(base, resident);
                    long inUse = malloc ? MallocStatistics.bytesInUse() : 0;
                    mallocBase = Math.min(mallocBase, inUse);
                    long growth = Math.max(resident - base, inUse - mallocBase);
                    if (growth > bound) {
                        throw heap.journal().violation(Rule.REUSE_BOUNDED, "after " + i
                                + " iterations of allocate/fill/deallocate of " + layout + " ("
                                + i * layout.size() + " bytes in all) resident memory grew by " + (resident - base)
                                + " bytes and malloc's bytes in use by " + (inUse - mallocBase)
                                + "; expected at most " + bound + " bytes");
                    }
                }
            }
        });
    }
}
