package org.allocator4j.testkit.blind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Overrides {@link #openArena()} with a bump arena over 64 KiB chunks of this allocator's, whose bump
 * pointer advances by the size from the unaligned position, not from the aligned start: when a request
 * needs alignment padding, the next segment starts inside it, overlapping by the padding. Requests above
 * 16 KiB, or aligned to more than 4096, get blocks of their own. Lifetime is right: segments are in the
 * arena's confined scope and everything is given back when it closes.
 *
 * <p>Shows when: a request of {@code openArena()} that needs padding (its alignment is not met by the
 * bytes before it) is followed by another request in the same chunk.
 */
public final class ArenaBumpOverlaps extends Forwarding {
    private static final Layout CHUNK = Layout.of(64 << 10, 16);
    private static final long OWN_BLOCK_SIZE = 16 << 10;
    private static final long OWN_BLOCK_ALIGNMENT = 4096;

    /** Creates it over {@code system}. */
    public ArenaBumpOverlaps() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public ArenaBumpOverlaps(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    public Arena openArena() {
        return new BumpArena();
    }

    private final class BumpArena extends HeldArena {
        private MemorySegment chunk;
        private long offset;

        BumpArena() {
            super(ArenaBumpOverlaps.this);
        }

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            Layout layout = Layout.of(byteSize, byteAlignment);
            if (byteSize > OWN_BLOCK_SIZE || byteAlignment > OWN_BLOCK_ALIGNMENT) {
                return scoped(take(layout));
            }
            long start = chunk == null ? -1 : alignedStart(byteAlignment);
            if (start < 0 || start + byteSize > CHUNK.size()) {
                chunk = take(CHUNK);
                offset = 0;
                start = alignedStart(byteAlignment);
            }
            MemorySegment block = chunk.asSlice(start, byteSize);
            offset += byteSize; // the bug: from offset, not from start
            return scoped(block);
        }

        private long alignedStart(long alignment) {
            return offset + Math.floorMod(-(chunk.address() + offset), alignment);
        }
    }
}
