package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A correct bump arena over a parent, confined to one thread, for the testkit's own tests: it proves that
 * the contract fits an allocator that frees only its most recent block and everything on close (the
 * shape of allocator-bump), with the checks that do not apply skipped.
 */
final class BumpReference implements GlobalAllocator, AutoCloseable {
    static final String NAME = "testkit-bump-reference";
    private static final long CHUNK = 1L << 20;
    private static final long CHUNK_ALIGNMENT = 4096;

    private record Chunk(MemorySegment memory, Layout layout) {
    }

    private final GlobalAllocator parent;
    private final Deque<Chunk> chunks = new ArrayDeque<>();
    private long offset; // into chunks.peek()
    private long lastStart = -1; // offset of the most recent live block in the current chunk, or -1

    BumpReference(GlobalAllocator parent) {
        this.parent = parent;
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        if (layout.size() == 0) {
            return layout.dangling();
        }
        Chunk chunk = chunks.peek();
        long start = chunk == null ? -1 : align(chunk, offset, layout.alignment());
        if (chunk == null || start < 0 || start > chunk.memory.byteSize() - layout.size()) {
            chunk = newChunk(layout);
            start = align(chunk, 0, layout.alignment());
        }
        offset = start + layout.size();
        lastStart = start;
        return chunk.memory.asSlice(start, layout.size());
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        Chunk chunk = chunks.peek();
        // Only the most recent block is given back; every other free waits for close().
        if (layout.size() > 0 && chunk != null && lastStart >= 0
                && block.address() == chunk.memory.address() + lastStart && offset == lastStart + layout.size()) {
            offset = lastStart;
            lastStart = -1;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        for (Chunk chunk; (chunk = chunks.poll()) != null; ) {
            parent.deallocate(chunk.memory, chunk.layout);
        }
        offset = 0;
        lastStart = -1;
    }

    private Chunk newChunk(Layout layout) {
        long size;
        try {
            size = Math.max(CHUNK, Math.addExact(layout.size(), layout.alignment()));
        } catch (ArithmeticException e) {
            throw new AllocationException(NAME, layout, "larger than any chunk can be", e);
        }
        Layout chunkLayout;
        try {
            chunkLayout = Layout.of(size, CHUNK_ALIGNMENT);
        } catch (IllegalArgumentException e) {
            throw new AllocationException(NAME, layout, "larger than any chunk can be", e);
        }
        MemorySegment memory;
        try {
            memory = parent.allocate(chunkLayout);
        } catch (AllocationException e) {
            throw new AllocationException(NAME, layout, "the parent cannot give a chunk: " + e.getMessage(), e);
        }
        Chunk chunk = new Chunk(memory, chunkLayout);
        chunks.push(chunk);
        offset = 0;
        lastStart = -1;
        return chunk;
    }

    /** {@return the offset at or after {@code at} aligned to {@code alignment}, or -1 if past the chunk} */
    private static long align(Chunk chunk, long at, long alignment) {
        long address = chunk.memory.address() + at;
        long aligned = (address + alignment - 1) & -alignment;
        long result = aligned - chunk.memory.address();
        return result > chunk.memory.byteSize() ? -1 : result;
    }
}
