package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs of kinds {@link BugKind#EDGE_OF_RANGE} and {@link BugKind#SIZE_ALIGNMENT_PAIRING} show
 * under the condition their javadoc gives, and not just outside it: the zoo's entries are really broken,
 * and only there.
 */
class EdgeAndPairingBugsTest {
    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;

    @Test
    void alignmentCappedAt64K_alignment128K_misaligned() {
        GlobalAllocator allocator = new AlignmentCappedAt64K();
        assertFalse(misalignedOnce(allocator, Layout.of(64, 64 * KIB)), "64 KiB is honoured");
        assertTrue(misalignedOnce(allocator, Layout.of(64, 128 * KIB)));
        assertTrue(misalignedOnce(allocator, Layout.of(3 * MIB, MIB)));
    }

    @Test
    void topAlignmentHalved_alignment1MiB_alignedTo512KOnly() {
        GlobalAllocator allocator = new TopAlignmentHalved();
        assertFalse(misalignedOnce(allocator, Layout.of(64, 512 * KIB)), "512 KiB is honoured");
        assertTrue(misalignedOnce(allocator, Layout.of(64, MIB)));
    }

    @Test
    void hugeSizesRoundedUp_sizeOver2MiB_segmentTooLong() {
        GlobalAllocator allocator = new HugeSizesRoundedUp();
        assertEquals(MIB + 1, sizeOnce(allocator, Layout.of(MIB + 1, 8)));
        assertEquals(4 * MIB, sizeOnce(allocator, Layout.of(2 * MIB + 1, 8)));
    }

    @Test
    void hugeZeroedSkipsClear_reused4MiBBlock_notZeroed() {
        HugeZeroedSkipsClear allocator = new HugeZeroedSkipsClear();
        try {
            for (long size : new long[] {MIB, 4 * MIB}) {
                Layout layout = Layout.of(size, 16);
                allocator.deallocate(allocator.allocate(layout).fill((byte) 0x7F), layout);
                MemorySegment zeroed = allocator.allocateZeroed(layout);
                assertEquals(size < 4 * MIB, Bytes.zero(zeroed, 0, size), "size=" + size);
                allocator.deallocate(zeroed, layout);
            }
        } finally {
            allocator.close();
        }
    }

    @Test
    void reallocDropsHugeAlignment_alignment128K_movedBlockMisaligned() {
        GlobalAllocator allocator = new ReallocDropsHugeAlignment();
        Layout small = Layout.of(64, 64 * KIB);
        MemorySegment kept = allocator.reallocate(allocator.allocate(small), small, 128);
        assertTrue(Layout.of(128, 64 * KIB).isAligned(kept.address()), "64 KiB is kept");
        allocator.deallocate(kept, Layout.of(128, 64 * KIB));
        Layout huge = Layout.of(64, 128 * KIB);
        MemorySegment moved = allocator.reallocate(allocator.allocate(huge), huge, 128);
        assertFalse(huge.isAligned(moved.address()), "0x" + Long.toHexString(moved.address()));
        allocator.deallocate(moved, Layout.of(128, huge.alignment()));
    }

    @Test
    void powerOfTwoAt128_512Aligned256_offBy128() {
        GlobalAllocator allocator = new PowerOfTwoAt128();
        assertFalse(misalignedOnce(allocator, Layout.of(384, 256)), "not a power of two");
        assertFalse(misalignedOnce(allocator, Layout.of(2048, 256)), "above 1024");
        assertTrue(misalignedOnce(allocator, Layout.of(256, 256)));
        assertTrue(misalignedOnce(allocator, Layout.of(1024, 4096)));
    }

    @Test
    void sizeEqualsAlignmentOff16_sizeEqualsAlignment_misaligned() {
        GlobalAllocator allocator = new SizeEqualsAlignmentOff16();
        assertFalse(misalignedOnce(allocator, Layout.of(128, 64)));
        assertFalse(misalignedOnce(allocator, Layout.of(16, 16)));
        assertTrue(misalignedOnce(allocator, Layout.of(64, 64)));
        assertTrue(misalignedOnce(allocator, Layout.of(4096, 4096)));
    }

    @Test
    void multipleOfAlignmentReallocShort_sizeMultipleOfAlignment_lastUnitLost() {
        GlobalAllocator allocator = new MultipleOfAlignmentReallocShort();
        assertTrue(reallocKeeps(allocator, Layout.of(100, 64), 256, 11), "100 is not a multiple of 64");
        assertTrue(reallocKeeps(allocator, Layout.of(128, 16), 256, 12), "the malloc path");
        assertFalse(reallocKeeps(allocator, Layout.of(128, 64), 256, 13));
    }

    @Test
    void pageJustUnderRoundedUp_4050AtPageAlignment_segmentIsAPage() {
        GlobalAllocator allocator = new PageJustUnderRoundedUp();
        assertEquals(4000, sizeOnce(allocator, Layout.of(4000, 4096)), "more than 64 under");
        assertEquals(4050, sizeOnce(allocator, Layout.of(4050, 2048)), "alignment below a page");
        assertEquals(4096, sizeOnce(allocator, Layout.of(4050, 4096)));
    }

    @Test
    void pageJustOverCopiesOnePage_4100AtPageAlignment_tailLost() {
        GlobalAllocator allocator = new PageJustOverCopiesOnePage();
        assertTrue(reallocKeeps(allocator, Layout.of(4100, 2048), 8192, 14), "alignment below a page");
        assertTrue(reallocKeeps(allocator, Layout.of(4200, 4096), 8192, 15), "more than 64 over");
        assertFalse(reallocKeeps(allocator, Layout.of(4100, 4096), 8192, 16));
    }

    /** {@return whether one block of {@code layout} came back misaligned} */
    static boolean misalignedOnce(GlobalAllocator allocator, Layout layout) {
        MemorySegment block = allocator.allocate(layout);
        boolean misaligned = !layout.isAligned(block.address());
        allocator.deallocate(block, layout);
        return misaligned;
    }

    /** {@return the byteSize of one block of {@code layout}} */
    static long sizeOnce(GlobalAllocator allocator, Layout layout) {
        MemorySegment block = allocator.allocate(layout);
        long size = block.byteSize();
        allocator.deallocate(block, layout);
        return size;
    }

    /** {@return whether reallocating a block of {@code layout} to {@code newSize} kept its contents} */
    static boolean reallocKeeps(GlobalAllocator allocator, Layout layout, long newSize, int seed) {
        MemorySegment block = Bytes.fill(allocator.allocate(layout), seed);
        MemorySegment moved = allocator.reallocate(block, layout, newSize);
        boolean kept = Bytes.holds(moved, 0, Math.min(layout.size(), newSize), seed);
        allocator.deallocate(moved, Layout.of(newSize, layout.alignment()));
        return kept;
    }
}
