package org.allocator4j.bump;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The {@link BumpArena}: a list of chunks, one of them current, bumping down.
 *
 * <p>Chunks {@code [0, current)} are full or partly used (their {@link Chunk#top} saved), chunk
 * {@code current} is being carved ({@link #ptr}), chunks after it are empty spares that a frame's rewind
 * gave back. With no chunk yet (or after a rewind to before the first chunk) {@code current == -1} and
 * {@code ptr < start}, so every allocation takes the slow path.
 *
 * @implNote Not thread-safe (see {@link BumpArena}).
 */
final class ChunkedBumpArena implements BumpArena {
    private static final long CHUNK_ALIGNMENT = 16;

    private final String name;
    private final GlobalAllocator parent;
    private final long maxChunkSize;
    private final long limit;

    // The current chunk, copied into fields for the fast path. ptr is the lowest handed-out address;
    // start and end bound the chunk. Without a current chunk: ptr = 0 < start = 1, segment = null.
    private long ptr;
    private long start = 1;
    private long end;
    private MemorySegment segment;

    private Chunk[] chunks = new Chunk[4];
    private int count;
    private int current = -1;
    private long capacity;
    private long nextChunkSize;

    // Frames: depth open frames, the marks of frame d at index d - 1. epoch changes on reset and close, so
    // frames from before are refused. frameTop: blocks at or above it in the current chunk predate the
    // innermost frame (Long.MAX_VALUE: no such block, or no frame).
    private int depth;
    private int[] markChunk = new int[4];
    private long[] markPtr = new long[4];
    private long epoch;
    private long frameTop = Long.MAX_VALUE;
    private int openScopes;
    private boolean closed;

    ChunkedBumpArena(String name, GlobalAllocator parent, long firstChunkSize, long maxChunkSize, long limit) {
        this.name = name;
        this.parent = parent;
        this.nextChunkSize = firstChunkSize;
        this.maxChunkSize = maxChunkSize;
        this.limit = limit;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        // Cannot wrap: ptr >= 0 and size >= 0. A huge size gives a negative p, below start.
        long p = (ptr - size) & -layout.alignment();
        if (p < start | size == 0) {
            if (size == 0) {
                return zeroSize(layout);
            }
            p = bumpSlow(layout); // a new current chunk: segment and start changed
        } else {
            ptr = p;
        }
        // One slice for both paths: escape analysis can remove it only if no other segment merges here.
        return segment.asSlice(p - start, size);
    }

    private MemorySegment zeroSize(Layout layout) {
        checkOpen();
        return layout.dangling(); // the zero-size rule: nothing allocated
    }

    /**
     * {@return the address of a new block in the current chunk} For {@link BumpScopedArena}, which
     * slices the block from its own view of the chunk.
     *
     * @param size      the size, {@code > 0}
     * @param alignment a power of two
     */
    long bump(long size, long alignment) {
        long p = (ptr - size) & -alignment;
        if (p >= start) {
            ptr = p;
            return p;
        }
        return bumpSlow(Layout.of(size, alignment));
    }

    /** The current chunk cannot hold {@code layout}: move to a spare chunk that can, or take a new one. */
    private long bumpSlow(Layout layout) {
        checkOpen();
        long size = layout.size();
        long alignment = layout.alignment();
        int fit = -1;
        for (int i = current + 1; i < count && fit < 0; i++) {
            Chunk c = chunks[i];
            if (((c.end - size) & -alignment) >= c.base && c.end - c.base >= size) {
                fit = i;
            }
        }
        Chunk next;
        if (fit >= 0) {
            next = chunks[fit];
            chunks[fit] = chunks[current + 1]; // spares are all empty: their order does not matter
            chunks[current + 1] = next;
        } else {
            next = newChunk(layout);
            insertAfterCurrent(next);
        }
        if (current >= 0) {
            chunks[current].top = ptr;
        }
        enter(current + 1, next.end);
        if (depth > 0) {
            frameTop = Long.MAX_VALUE; // all of this chunk's blocks are newer than the innermost frame
        }
        long p = (ptr - size) & -alignment;
        // assert p >= start: chosen or sized above so that it fits
        ptr = p;
        return p;
    }

    private Chunk newChunk(Layout layout) {
        long size = layout.size();
        long chunkSize = Math.max(nextChunkSize, size);
        long free = limit - capacity;
        if (chunkSize > free) {
            if (size > free) {
                throw new BumpLimitExceededException(name, layout, limit, capacity,
                        "raise it with BumpArena.builder().limit(bytes), or reset() the arena");
            }
            chunkSize = free; // the last chunk under the limit: smaller than the geometric size
        }
        // Over-aligned requests get an over-aligned chunk, so any chunk of >= size bytes can hold them.
        long chunkAlignment = Math.max(CHUNK_ALIGNMENT, layout.alignment());
        if (chunkSize > Long.MAX_VALUE - (chunkAlignment - 1)) {
            // A size near Long.MAX_VALUE is a valid Layout but no chunk layout: a failure, not bad input.
            throw new AllocationException(name, layout, "no chunk of size=" + chunkSize + " aligned to "
                    + chunkAlignment + " can exist");
        }
        Layout chunkLayout = Layout.of(chunkSize, chunkAlignment);
        MemorySegment memory;
        try {
            memory = parent.allocate(chunkLayout);
        } catch (AllocationException e) {
            throw new AllocationException(name, layout, "parent allocator '" + parent.name()
                    + "' cannot provide a chunk of " + chunkLayout, e);
        }
        capacity += chunkSize;
        if (chunkSize == nextChunkSize) {
            nextChunkSize = Math.min(maxChunkSize, nextChunkSize * 2); // geometric growth, capped
        }
        return new Chunk(memory, chunkLayout);
    }

    private void insertAfterCurrent(Chunk chunk) {
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        int at = current + 1;
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        chunks[at] = chunk;
        count++;
    }

    /** Makes chunk {@code index} current with its pointer at {@code top}; -1 for "no chunk". */
    private void enter(int index, long top) {
        current = index;
        if (index < 0) {
            segment = null;
            start = 1;
            end = 0;
            ptr = 0;
            return;
        }
        Chunk c = chunks[index];
        segment = c.segment;
        start = c.base;
        end = c.end;
        ptr = top;
    }

    /** {@return whether the block at {@code address} of {@code size} bytes is the most recent one} */
    private boolean isLast(long address, long size) {
        // address == ptr puts the block in the current chunk; the end test keeps misuse (a stale block at
        // the same address, larger) from moving ptr past the chunk; frameTop protects frames.
        return address == ptr && address < frameTop && size <= end - address;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        long size = layout.size();
        if (size != 0 && isLast(block.address(), size)) {
            ptr += size; // the padding below the previous block's start is not recovered (as bumpalo)
        }
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        long size = layout.size();
        Layout newLayout = new Layout(newSize, layout.alignment());
        long address = block.address();
        if (size != 0 && newSize != 0 && isLast(address, size)) {
            // Keep the block's end, move its start: the bytes between stay the block's.
            long p = (address + size - newSize) & -layout.alignment();
            if (p >= start) {
                if (p != address) {
                    MemorySegment.copy(segment, address - start, segment, p - start, Math.min(size, newSize));
                }
                ptr = p;
                return segment.asSlice(p - start, newSize);
            }
        }
        // The zero-size rule, blocks that are not the last, and growth past the chunk.
        MemorySegment moved = allocate(newLayout);
        long keep = Math.min(size, newSize);
        if (keep > 0) {
            MemorySegment.copy(block, 0, moved, 0, keep);
        }
        deallocate(block, layout);
        return moved;
    }

    @Override
    public void reset() {
        checkOpen();
        checkNoScopes("reset()");
        int largest = -1;
        for (int i = 0; i < count; i++) {
            if (largest < 0 || chunks[i].size() > chunks[largest].size()) {
                largest = i;
            }
        }
        Chunk keep = largest < 0 ? null : chunks[largest];
        for (int i = 0; i < count; i++) {
            if (i != largest) {
                free(chunks[i]);
                chunks[i] = null;
            }
        }
        count = 0;
        current = -1;
        if (keep != null) {
            keep.top = keep.end;
            chunks[0] = keep;
            count = 1;
            enter(0, keep.end);
        } else {
            enter(-1, 0);
        }
        invalidateFrames();
    }

    private void free(Chunk chunk) {
        capacity -= chunk.size();
        parent.deallocate(chunk.segment, chunk.layout);
    }

    private void invalidateFrames() {
        depth = 0;
        epoch++;
        frameTop = Long.MAX_VALUE;
    }

    @Override
    public Frame push() {
        checkOpen();
        if (depth == markPtr.length) {
            growMarks();
        }
        markChunk[depth] = current;
        markPtr[depth] = ptr;
        depth++;
        frameTop = current < 0 ? Long.MAX_VALUE : ptr;
        return new ArenaFrame(this, depth, epoch);
    }

    private void growMarks() {
        markPtr = Arrays.copyOf(markPtr, depth * 2);
        markChunk = Arrays.copyOf(markChunk, depth * 2);
    }

    /** {@return whether {@code frame} is the innermost open frame, so that it may be popped now} */
    boolean isTop(ArenaFrame frame) {
        return frame.epoch == epoch & frame.depth == depth & !frame.closed;
    }

    /** {@return null if {@code frame} may be popped now, else why not} */
    String whyNotTop(ArenaFrame frame) {
        if (frame.epoch != epoch) {
            return closed ? "the arena was closed after the frame was pushed"
                    : "the arena was reset after the frame was pushed";
        }
        if (frame.closed) {
            return "frame #" + frame.depth + " was already closed";
        }
        if (frame.depth != depth) {
            return "frame #" + frame.depth + " closed while " + (depth - frame.depth) + " frame(s) pushed after it "
                    + "(innermost #" + depth + ") are still open; frames and scoped arenas must be closed in "
                    + "reverse order of push()/openArena()";
        }
        return null;
    }

    void pop(ArenaFrame frame) {
        if (!isTop(frame)) {
            throw new AllocatorMisuseException(AllocatorMisuseException.Kind.SCOPE, name, whyNotTop(frame));
        }
        frame.closed = true;
        depth--;
        int chunk = markChunk[depth];
        if (chunk != current) {
            rewindChunks(chunk, markPtr[depth]);
        } else {
            ptr = markPtr[depth];
        }
        frameTop = depth == 0 || markChunk[depth - 1] != current ? Long.MAX_VALUE : markPtr[depth - 1];
    }

    /** Makes chunk {@code index} current again at {@code top}; the chunks taken after it become empty spares. */
    private void rewindChunks(int index, long top) {
        // Spares are kept for the next frame: a loop that spills into a new chunk takes it from the parent once.
        for (int i = index + 1; i <= current; i++) {
            chunks[i].top = chunks[i].end;
        }
        if (index < 0) {
            // Back to before the first chunk: make the first one current, empty, rather than none, so that
            // the next allocation takes the fast path (and a scoped arena can view the chunk when it opens).
            enter(0, chunks[0].end);
        } else {
            enter(index, top);
        }
    }

    @Override
    public Arena openArena() {
        checkOpen();
        return new BumpScopedArena(this);
    }

    int depth() {
        return depth;
    }

    boolean isClosed() {
        return closed;
    }

    void scopeOpened() {
        openScopes++;
    }

    void scopeClosed() {
        openScopes--;
    }

    MemorySegment currentSegment() {
        return segment;
    }

    long currentStart() {
        return start;
    }

    String arenaName() {
        return name;
    }

    private void checkNoScopes(String operation) {
        if (openScopes != 0) {
            throw new AllocatorMisuseException(AllocatorMisuseException.Kind.SCOPE, name, operation + " while "
                    + openScopes + " scoped arena(s) opened on this arena are still open; close them first");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("bump arena '" + name + "' is closed");
        }
    }

    @Override
    public long used() {
        long used = current < 0 ? 0 : end - ptr;
        for (int i = 0; i < current; i++) {
            used += chunks[i].end - chunks[i].top;
        }
        return used;
    }

    @Override
    public long remaining() {
        long remaining = current < 0 ? 0 : ptr - start;
        for (int i = current + 1; i < count; i++) {
            remaining += chunks[i].size();
        }
        return remaining;
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public int chunks() {
        return count;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkNoScopes("close()");
        closed = true;
        for (int i = 0; i < count; i++) {
            free(chunks[i]);
            chunks[i] = null;
        }
        count = 0;
        enter(-1, 0);
        invalidateFrames();
    }

    /**
     * Closes the arena unless a scoped arena on it is still open, in which case its chunks are leaked:
     * for the cleaner of a thread stack whose thread has ended. A scoped arena left open could still be
     * reachable (if the stack was wrongly shared), and leaking is safe where freeing might not be.
     */
    void closeUnlessScoped() {
        if (!closed && openScopes == 0) {
            close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "BumpArena[" + name + ", chunks=" + count + ", capacity=" + capacity + ", limit="
                + (limit == Long.MAX_VALUE ? "none" : limit) + ", depth=" + depth + (closed ? ", closed" : "") + "]";
    }
}
