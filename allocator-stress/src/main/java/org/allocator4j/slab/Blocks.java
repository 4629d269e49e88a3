package org.allocator4j.slab;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * What the stress tests write into the blocks they hold, to catch a block handed out twice or written
 * after it was freed: a <i>claim tag</i> and a <i>stamp</i>.
 *
 * <p>Block layout while a test holds it (the tests use blocks of 64 bytes or more):
 * <pre>
 *   0        8        16       24                          size
 *   +--------+--------+--------+---------------------------+
 *   | (link) | (mark) |  tag   |  stamp, ... (8-byte words) |
 *   +--------+--------+--------+---------------------------+
 * </pre>
 * Bytes 0..8 are the slab's free-list link while the block is free, bytes 8..16 its free mark (set on a
 * checked free, cleared when the block is handed out), so the tests never use them. The tag (bytes
 * 16..24) is {@link #LIVE} while a test holds the block and {@link #FREE} from just before it is freed;
 * the allocator never writes it. {@link #claim} sets it with a CAS, so two threads given the
 * same block at once cannot both claim it. The stamp words carry a per-holder marker, read back before
 * the block is freed: a word that changed means another holder wrote into it.
 */
final class Blocks {
    /** The tag of a block some test holds. */
    static final long LIVE = 0x4C49_5645_4C49_5645L; // "LIVELIVE"
    /** The tag of a block a test freed. */
    static final long FREE = 0x4652_4545_4652_4545L; // "FREEFREE"
    private static final long TAG = 16;
    private static final long STAMP = 24;
    /** Coordinates (MemorySegment, long offset); the tag is 8-aligned in a 16-aligned block. */
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private Blocks() {
    }

    /**
     * Tags a block just handed out as held.
     *
     * @return false if the block was already held: the allocator handed out a live block (FORBIDDEN)
     */
    static boolean claim(MemorySegment block) {
        long seen = (long) WORD.getVolatile(block, TAG);
        // The CAS makes two claims of one block exclude each other, whatever the interleaving.
        return seen != LIVE && WORD.compareAndSet(block, TAG, seen, LIVE);
    }

    /** Tags a block as free, just before it is handed back to the allocator. */
    static void release(MemorySegment block) {
        WORD.setVolatile(block, TAG, FREE);
    }

    /** Fills the block's stamp words with {@code marker}. */
    static void stamp(MemorySegment block, long marker) {
        for (long offset = STAMP; offset + 8 <= block.byteSize(); offset += 8) {
            block.set(ValueLayout.JAVA_LONG, offset, marker);
        }
    }

    /** {@return whether every stamp word still holds {@code marker} and the tag still says held} */
    static boolean intact(MemorySegment block, long marker) {
        return (long) WORD.getVolatile(block, TAG) == LIVE && filledWith(block, STAMP, marker);
    }

    /** {@return whether every whole 8-byte word of {@code segment} from {@code offset} on is {@code word}} */
    static boolean filledWith(MemorySegment segment, long offset, long word) {
        for (long at = offset; at + 8 <= segment.byteSize(); at += 8) {
            if (segment.get(ValueLayout.JAVA_LONG, at) != word) {
                return false;
            }
        }
        return true;
    }

    /**
     * Allocates a block, claims it and stamps it with {@code marker}.
     *
     * @return the block, or null if it could not be claimed: it was live elsewhere (FORBIDDEN); such a
     *         block is left alone, since another holder owns it
     */
    static MemorySegment take(GlobalAllocator allocator, Layout layout, long marker) {
        MemorySegment block = allocator.allocate(layout);
        if (!claim(block)) {
            return null;
        }
        stamp(block, marker);
        return block;
    }

    /**
     * Checks a held block's stamp, tags it free and gives it back to the allocator.
     *
     * @return whether the stamp was intact (false: another holder wrote into it, FORBIDDEN)
     */
    static boolean give(GlobalAllocator allocator, MemorySegment block, Layout layout, long marker) {
        boolean ok = intact(block, marker);
        release(block);
        allocator.deallocate(block, layout);
        return ok;
    }

    /**
     * Gives back a block a test may not have got, and {@return the violations that shows}: 1 if another
     * holder wrote into the block; 0 if it was intact, or null (a failed take is counted where it happened)
     */
    static int giveBack(GlobalAllocator allocator, MemorySegment block, Layout layout, long marker) {
        return block == null || give(allocator, block, layout, marker) ? 0 : 1;
    }
}
