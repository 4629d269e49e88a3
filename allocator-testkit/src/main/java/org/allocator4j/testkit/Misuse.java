package org.allocator4j.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.Layout;

import org.allocator4j.testkit.LiveBlocks.Block;

/**
 * The checked-mode checks: each misuse must throw {@link AllocatorMisuseException} of the right
 * {@link Kind}, leave a neighbouring live block intact and the allocator usable.
 */
final class Misuse {
    /**
     * How many further allocate+free pairs of the same layout a checked mode may take to report a write
     * into a freed block (a quarantine releases it, and checks it, only after newer frees); after them,
     * closing the allocator must report it.
     */
    static final int USE_AFTER_FREE_WINDOW = 4096;

    /** A misuse to commit against the allocator under test. */
    @FunctionalInterface
    private interface Act {
        void run();
    }

    private Misuse() {
    }

    /**
     * Frees a block, then {@code between} more blocks of its layout (so a check that remembers only the
     * latest free forgets it), then hands it back again through deallocate or reallocate.
     */
    static void doubleFree(AllocatorContract contract, Layout layout, int between, boolean viaReallocate,
                           boolean zeroed) throws Exception {
        Layout nonZero = nonZero(layout);
        Checks.onFresh(contract, heap -> {
            Block neighbour = heap.allocate(Layout.of(64, 8));
            Block block = zeroed ? heap.allocateZeroed(nonZero) : heap.allocate(nonZero);
            List<Block> others = new ArrayList<>();
            for (int i = 0; i < between; i++) {
                others.add(heap.allocate(nonZero));
            }
            heap.free(block);
            for (Block other : others) {
                heap.free(other);
            }
            String after = between == 0 ? "" : " after " + between + " other blocks of its layout were freed";
            if (viaReallocate) {
                expect(heap, Kind.DOUBLE_FREE, "reallocate(" + block + ", newSize=" + (nonZero.size() + 1)
                        + ") of the freed block" + after,
                        () -> heap.allocator().reallocate(block.segment(), block.layout(), nonZero.size() + 1));
            } else {
                expect(heap, Kind.DOUBLE_FREE, "second deallocate(" + block + ")" + after,
                        () -> heap.allocator().deallocate(block.segment(), block.layout()));
            }
            afterMisuse(heap, neighbour);
        });
    }

    static void foreignBlock(AllocatorContract contract, Layout layout, boolean interior, boolean viaReallocate)
            throws Exception {
        Layout nonZero = nonZero(layout);
        Checks.onFresh(contract, heap -> {
            Block neighbour = heap.allocate(Layout.of(64, 8));
            if (interior && nonZero.size() + nonZero.alignment() <= contract.capabilities().maxSize()) {
                Layout wide = Layout.of(nonZero.size() + nonZero.alignment(), nonZero.alignment());
                Block block = heap.allocate(wide);
                MemorySegment inside = block.segment().asSlice(nonZero.alignment(), nonZero.size());
                expect(heap, Kind.FOREIGN_BLOCK, handBack(viaReallocate, block + " + " + nonZero.alignment(), nonZero),
                        () -> handBack(heap, inside, nonZero, viaReallocate));
                heap.free(block);
            } else {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment foreign = arena.allocate(nonZero.size(), nonZero.alignment());
                    expect(heap, Kind.FOREIGN_BLOCK, handBack(viaReallocate, "a JDK Arena's segment at 0x"
                            + Long.toHexString(foreign.address()), nonZero),
                            () -> handBack(heap, foreign, nonZero, viaReallocate));
                }
            }
            afterMisuse(heap, neighbour);
        });
    }

    static void layoutMismatch(AllocatorContract contract, Layout layout, boolean wrongAlignment,
                               boolean viaReallocate) throws Exception {
        Layout nonZero = nonZero(layout);
        Layout wrong = wrongAlignment && nonZero.alignment() > 1
                ? Layout.of(nonZero.size(), nonZero.alignment() / 2)
                : Layout.of(nonZero.size() + 1, nonZero.alignment());
        Checks.onFresh(contract, heap -> {
            Block neighbour = heap.allocate(Layout.of(64, 8));
            Block block = heap.allocate(nonZero);
            expect(heap, Kind.LAYOUT_MISMATCH, handBack(viaReallocate, block.toString(), wrong),
                    () -> handBack(heap, block.segment(), wrong, viaReallocate));
            heap.free(block); // still owned: a checked mode passes nothing on when it throws
            afterMisuse(heap, neighbour);
        });
    }

    /**
     * Writes one byte past a block (from allocate or allocateZeroed), does {@code between} other
     * allocate+free pairs, then hands the block back through deallocate or reallocate.
     */
    static void overrun(AllocatorContract contract, Layout layout, boolean viaReallocate, boolean zeroed,
                        int between) throws Exception {
        Layout nonZero = nonZero(layout);
        Checks.onFresh(contract, heap -> {
            Block neighbour = heap.allocate(Layout.of(64, 8));
            Block block = zeroed ? heap.allocateZeroed(nonZero) : heap.allocate(nonZero);
            heap.journal().record("write one byte at offset " + nonZero.size() + " of " + block);
            NativeAccess.widen(block.segment(), 1).set(ValueLayout.JAVA_BYTE, nonZero.size(), (byte) 0x5A);
            heap.live().remove(block);
            for (int i = 0; i < between; i++) {
                heap.free(heap.allocate(Layout.of(24 + 8L * i, 8)));
            }
            expect(heap, Kind.OVERRUN, handBack(viaReallocate, block.toString(), nonZero) + " after the overrun",
                    () -> handBack(heap, block.segment(), nonZero, viaReallocate));
            afterMisuse(heap, neighbour);
        });
    }

    private static String handBack(boolean viaReallocate, String block, Layout layout) {
        return viaReallocate
                ? "reallocate(" + block + ", " + layout + ", newSize=" + (layout.size() + 1) + ")"
                : "deallocate(" + block + ", " + layout + ")";
    }

    /** Hands a segment back by deallocate or reallocate; a reallocated result (a missed misuse) is freed. */
    private static void handBack(Heap heap, MemorySegment segment, Layout layout, boolean viaReallocate) {
        if (!viaReallocate) {
            heap.allocator().deallocate(segment, layout);
            return;
        }
        MemorySegment moved = heap.allocator().reallocate(segment, layout, layout.size() + 1);
        heap.journal().record("  reallocate returned 0x" + Long.toHexString(moved.address()));
    }

    static void useAfterFree(AllocatorContract contract, Layout layout, boolean zeroed, boolean atTheEnd)
            throws Exception {
        Layout nonZero = nonZero(layout);
        Checks.onFresh(contract, (heap, close) -> {
            Block neighbour = heap.allocate(Layout.of(64, 8));
            Block block = zeroed ? heap.allocateZeroed(nonZero) : heap.allocate(nonZero);
            heap.free(block);
            long offset = atTheEnd ? nonZero.size() - 1 : 0;
            String write = "a write to offset " + offset + " of " + block + " after its deallocate";
            heap.journal().record(write);
            try {
                // The complement of whatever is there: a changed byte, whatever the allocator poisons freed memory with.
                byte old = block.segment().get(ValueLayout.JAVA_BYTE, offset);
                block.segment().set(ValueLayout.JAVA_BYTE, offset, (byte) ~old);
            } catch (IllegalStateException e) {
                if (block.segment().scope().isAlive()) {
                    throw heap.journal().violation(Rule.MISUSE_DETECTED, write + " threw " + e
                            + " although the segment's scope is alive; expected the write to land, or the"
                            + " segment's scope closed by deallocate", e);
                }
                // The freed segment's scope is closed: no write after free can happen through it.
                heap.journal().record("  refused by the segment, whose scope deallocate closed: " + e.getMessage());
                afterMisuse(heap, neighbour);
                return;
            }
            AllocatorMisuseException reported = null;
            for (int i = 0; i < USE_AFTER_FREE_WINDOW && reported == null; i++) {
                try {
                    heap.free(zeroed ? heap.allocateZeroed(nonZero) : heap.allocate(nonZero));
                } catch (AllocatorMisuseException e) {
                    reported = e;
                }
            }
            if (reported != null) {
                verify(heap, Kind.USE_AFTER_FREE, write, reported);
                afterMisuse(heap, neighbour);
                return;
            }
            heap.journal().record(USE_AFTER_FREE_WINDOW + " allocate+free pairs later, nothing reported: close the allocator");
            heap.free(neighbour);
            expect(heap, Kind.USE_AFTER_FREE, "close after " + write, () -> {
                try {
                    close.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        });
    }

    private static Layout nonZero(Layout layout) {
        return layout.size() > 0 ? layout : Layout.of(1, layout.alignment());
    }

    private static void expect(Heap heap, Kind kind, String operation, Act act) {
        heap.journal().record(operation);
        try {
            act.run();
        } catch (AllocatorMisuseException e) {
            verify(heap, kind, operation, e);
            return;
        } catch (RuntimeException e) {
            throw heap.journal().violation(Rule.MISUSE_DETECTED, operation + " threw " + e
                    + "; expected AllocatorMisuseException of kind=" + kind, e);
        }
        throw heap.journal().violation(Rule.MISUSE_DETECTED, operation + " returned normally; expected "
                + "AllocatorMisuseException of kind=" + kind);
    }

    /** Checks that a reported misuse is of {@code kind} and names the allocator. */
    private static void verify(Heap heap, Kind kind, String operation, AllocatorMisuseException e) {
        if (e.kind() != kind) {
            throw heap.journal().violation(Rule.MISUSE_DETECTED, operation + " threw " + e + " of kind="
                    + e.kind() + "; expected kind=" + kind, e);
        }
        if (!heap.allocator().name().equals(e.allocatorName())) {
            throw heap.journal().violation(Rule.MISUSE_DETECTED, operation + " threw " + e
                    + " naming allocatorName=" + e.allocatorName() + "; expected " + heap.allocator().name(), e);
        }
        heap.journal().record("  threw " + e.kind());
    }

    /** After a reported misuse: the neighbour is intact and the allocator works. */
    private static void afterMisuse(Heap heap, Block neighbour) {
        heap.live().verify(neighbour, Rule.MISUSE_DETECTED, "after a reported misuse (corrupted)");
        Checks.usableAfterFailure(heap);
        heap.free(neighbour);
    }
}
