package org.allocator4j.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * The overridable default methods against their contract, whether the allocator overrides them or not:
 * {@link GlobalAllocator#asSegmentAllocator()} hands out exact, aligned, disjoint native blocks of the
 * global scope (usable from any thread) that stay live until each is deallocated with its layout;
 * {@link GlobalAllocator#openArena()} hands out blocks that stay intact until it is closed, are confined to
 * the thread that opened it, and are inaccessible once it is closed. ({@code allocateZeroed} and
 * {@code reallocate} have their own checks.)
 */
final class DefaultMethods {
    private DefaultMethods() {
    }

    static void segmentAllocator(AllocatorContract contract, List<Layout> layouts) throws Exception {
        Checks.onFresh(contract, heap -> {
            SegmentAllocator adapter = heap.allocator().asSegmentAllocator();
            List<Block> blocks = new ArrayList<>();
            for (Layout layout : layouts) {
                String operation = "asSegmentAllocator().allocate(" + layout.size() + ", " + layout.alignment() + ")";
                Block block = heap.live().add(adapter.allocate(layout.size(), layout.alignment()), layout, operation);
                LiveBlocks.fill(block);
                blocks.add(block);
                heap.verifyAll("after " + operation);
            }
            for (Block block : blocks) {
                if (block.layout().size() > 0) {
                    readFromAnotherThread(heap, block, "a block of asSegmentAllocator() (global scope)", true);
                    break; // one thread per try is enough: the adapter gives every block the same scope
                }
            }
            heap.freeAll(); // with deallocate(segment, Layout.of(byteSize, byteAlignment)), as documented
        });
    }

    static void arena(AllocatorContract contract, List<Layout> layouts) throws Exception {
        Checks.onFresh(contract, heap -> {
            List<Block> blocks = new ArrayList<>();
            Arena arena = heap.allocator().openArena();
            heap.journal().record("openArena() -> " + arena);
            try {
                for (Layout layout : layouts) {
                    if (layout.size() == 0) {
                        continue; // an Arena's zero-length segments are the JDK's to place, not the zero-size rule's
                    }
                    String operation = "openArena().allocate(" + layout.size() + ", " + layout.alignment() + ")";
                    Block block = heap.live().add(arena.allocate(layout.size(), layout.alignment()), layout, operation);
                    LiveBlocks.fill(block);
                    blocks.add(block);
                    heap.verifyAll("after " + operation);
                }
                Checks.usableAfterFailure(heap); // the allocator's own blocks beside the arena's
                heap.verifyAll("before the arena is closed");
                for (Block block : blocks) {
                    if (block.layout().size() > 0) {
                        readFromAnotherThread(heap, block, "a block of a confined openArena()", false);
                        break; // one thread per try is enough: the arena gives every block its scope
                    }
                }
            } finally {
                for (Block block : blocks) {
                    heap.live().remove(block);
                }
                heap.journal().record("close the arena");
                arena.close();
            }
            for (Block block : blocks) {
                if (block.layout().size() == 0) {
                    continue;
                }
                try {
                    block.segment().get(ValueLayout.JAVA_BYTE, 0);
                } catch (IllegalStateException expected) {
                    continue;
                }
                throw heap.journal().violation(Rule.DEFAULT_METHODS, block + " of openArena() is still accessible"
                        + " after the arena was closed; expected IllegalStateException (its memory is freed)");
            }
            try {
                MemorySegment late = arena.allocate(16, 8);
                throw heap.journal().violation(Rule.DEFAULT_METHODS, "openArena().allocate(16, 8) after close returned "
                        + late + "; expected IllegalStateException");
            } catch (IllegalStateException expected) {
                Checks.usableAfterFailure(heap);
            }
        });
    }

    /** Reads the block's first byte from another thread: it must succeed ({@code shared}) or be refused. */
    static void readFromAnotherThread(Heap heap, Block block, String what, boolean shared)
            throws InterruptedException {
        readFromAnotherThread(heap, block, what, shared, Rule.DEFAULT_METHODS);
    }

    /** As {@link #readFromAnotherThread(Heap, Block, String, boolean)}, a failure breaking {@code rule}. */
    static void readFromAnotherThread(Heap heap, Block block, String what, boolean shared, Rule rule)
            throws InterruptedException {
        CompletableFuture<Throwable> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                block.segment().get(ValueLayout.JAVA_BYTE, 0);
                read.complete(null);
            } catch (Throwable e) {
                read.complete(e);
            }
        }, "testkit-reader");
        reader.start();
        reader.join();
        Throwable thrown;
        try {
            thrown = read.get();
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        if (shared && thrown != null) {
            throw heap.journal().violation(rule, block + ", " + what + ", cannot be read from"
                    + " another thread: " + thrown, thrown);
        }
        if (!shared && !(thrown instanceof WrongThreadException)) {
            throw heap.journal().violation(rule, block + ", " + what + ", was read from another"
                    + " thread (" + (thrown == null ? "no exception" : thrown) + "); expected WrongThreadException");
        }
    }
}
