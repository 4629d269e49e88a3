package org.allocator4j.bump;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Objects;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * A bump arena: allocation is a pointer subtraction in a chunk of native memory, and memory comes back
 * all at once, on {@link #reset()}, {@link #close()} or when a {@linkplain #push() frame} closes.
 *
 * <p>Chunks come from a parent {@link GlobalAllocator} ({@link GlobalAllocator#system() system} unless
 * {@linkplain Builder#parent(GlobalAllocator) set}). The first is small, each next one about twice the
 * last (up to {@linkplain Builder#maxChunkSize(long) a cap}), and a request larger than the next chunk gets
 * a chunk of its own size. An optional {@linkplain Builder#limit(long) byte limit} caps the bytes held
 * from the parent: a request that would pass it fails with {@link BumpLimitExceededException}.
 *
 * <pre>{@code
 * try (BumpArena arena = BumpArena.create()) {
 *     for (Request r : batch) {
 *         MemorySegment scratch = arena.allocate(Layout.of(r.size(), 8));
 *         ...
 *         arena.reset();   // keeps the largest chunk, returns the others
 *     }
 * }                        // returns every chunk
 * }</pre>
 *
 * @implSpec Besides the laws of {@link GlobalAllocator} (exact size, alignment, no overlap of live blocks,
 * the zero-size rule, failure leaves the arena usable), a bump arena keeps these:
 * <ul>
 *   <li><b>Last block.</b> {@link #deallocate(MemorySegment, Layout) deallocate} of the most recently
 *       allocated block gives its bytes back, so the next allocation of that layout gets the same address;
 *       {@link #reallocate(MemorySegment, Layout, long) reallocate} of it grows or shrinks it within its
 *       chunk without taking new space. Deallocating any other block does nothing: its bytes come back on
 *       {@code reset}, {@code close}, or when the frame it was allocated in closes.</li>
 *   <li><b>Limit.</b> {@link #capacity()} never exceeds {@link #limit()}.</li>
 *   <li><b>Frames.</b> Closing a frame returns the arena to exactly the state {@link #push()} saw.</li>
 * </ul>
 * A block (and every slice of it) must not be used after the memory holding it was given back by
 * {@code reset}, {@code close} or a frame: its segment has the global scope, so such a use is undefined
 * behaviour, as in Rust. {@link #openArena()} gives segments that check it.
 *
 * @implNote Not thread-safe: an arena is confined to one thread at a time, as bumpalo's {@code Bump} and
 * LWJGL's {@code MemoryStack}. It may move between threads with a happens-before edge, but it must never
 * be installed as the global allocator; that is what the provider {@code bump} is for
 * ({@link BumpAllocatorProvider}). Blocks bump downwards (one compare, no overflow check;
 * {@code BumpDirectionBenchmark} compares it with bumping up); the most recent block is the one at the
 * lowest address of the current chunk.
 */
public interface BumpArena extends GlobalAllocator, AutoCloseable {

    /** The default size of the first chunk: {@value} bytes. */
    long DEFAULT_FIRST_CHUNK_SIZE = 4096;

    /** The default cap on the geometric growth of chunks: {@value} bytes (a larger request still fits). */
    long DEFAULT_MAX_CHUNK_SIZE = 64L << 20;

    /** The first chunk of a {@linkplain #threadStack() thread's stack}: {@value} bytes, as LWJGL's default. */
    long THREAD_STACK_FIRST_CHUNK_SIZE = 64L << 10;

    /** {@return a new arena over the system allocator, with the default chunk sizes and no limit} */
    static BumpArena create() {
        return builder().build();
    }

    /** {@return a builder of arenas, starting from the defaults} */
    static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the calling thread's stack: a bump arena for scratch memory, created on first use}
     * Its first chunk holds {@value #THREAD_STACK_FIRST_CHUNK_SIZE} bytes and it grows like any arena,
     * instead of overflowing. Use it through frames:
     * <pre>{@code
     * try (BumpArena.Frame frame = BumpArena.threadStack().push()) {
     *     MemorySegment buffer = frame.allocate(Layout.of(1024, 8));
     *     ...
     * }   // the stack is back where it was
     * }</pre>
     * The stack is the thread's own: never pass it to another thread. Its memory goes back to the system
     * when {@link #releaseThreadStack()} is called or, at the latest, after the thread has ended and been
     * garbage collected.
     */
    static BumpArena threadStack() {
        return ThreadStacks.current();
    }

    /**
     * Closes the calling thread's stack and returns all its memory, as a pooled thread should do when
     * its task is done; the next {@link #threadStack()} creates a new one. Does nothing if the thread
     * has no stack.
     */
    static void releaseThreadStack() {
        ThreadStacks.release();
    }

    /**
     * {@return a new confined {@link Arena} that bump-allocates, for memory of one scope}
     * On a platform thread it is {@code threadStack().openArena()}: see {@link #openArena()}.
     *
     * @implNote On a virtual thread it uses no stack of the thread's own (a million short virtual
     * threads would each hold a chunk until collected): it takes an idle bump arena from a fixed set shared
     * by every virtual thread (twice the processors), or a new one, and gives it back when closed; a
     * scope's memory then costs in proportion to the scopes open at once. Scoped arenas of one virtual
     * thread are then independent: nested ones may close in any order, and they do not interleave with
     * the frames of its {@link #threadStack()}.
     */
    static Arena openScoped() {
        return Thread.currentThread().isVirtual() ? ScopedArenaPool.VIRTUAL_THREADS.open()
                : ThreadStacks.current().openArena();
    }

    /**
     * {@inheritDoc}
     *
     * @implNote A pointer subtraction and a comparison in the current chunk; a new chunk is taken from
     * the parent only when the current one (and every spare chunk a frame gave back) cannot hold it.
     * The block is not zeroed.
     * @throws BumpLimitExceededException if the arena would hold more than {@link #limit()} bytes
     * @throws AllocationException        if the parent allocator cannot provide a chunk
     * @throws IllegalStateException      if the arena is closed
     */
    @Override
    MemorySegment allocate(Layout layout);

    /**
     * Gives the block's bytes back if it is the most recently allocated block, else does nothing.
     *
     * @implNote A block allocated before the innermost open frame was pushed is never given back here:
     * the frame's rewind owns that space.
     */
    @Override
    void deallocate(MemorySegment block, Layout layout);

    /**
     * {@inheritDoc}
     *
     * @implNote For the most recent block, the new block stays in the old block's chunk, ending where it
     * ended (up to alignment padding), if the chunk has room: no space is taken or lost, and the
     * contents are moved with an overlapping copy when the start moves (bumping down, the start is what
     * changes). Any other block is allocated anew and copied; its old bytes come back on reset.
     */
    @Override
    MemorySegment reallocate(MemorySegment block, Layout layout, long newSize);

    /**
     * Frees every block at once: keeps the largest chunk (empty) and returns the others to the parent.
     * Costs O(chunks), whatever the number of blocks. Every open frame becomes invalid (closing it
     * throws), and every scoped arena opened on this arena must be closed before.
     *
     * @throws IllegalStateException if the arena is closed
     */
    void reset();

    /**
     * Pushes a frame: closing it rewinds this arena to where it is now, freeing everything allocated in
     * between, including in blocks that were {@linkplain #reallocate reallocated} after the push.
     * Frames nest and close in reverse order (try-with-resources does that).
     *
     * @return the new frame; close it exactly once, on this arena's thread
     * @throws IllegalStateException if the arena is closed
     */
    Frame push();

    /**
     * {@return a confined {@link Arena} whose segments are allocated from this bump arena}
     *
     * <p>Opening it pushes a {@linkplain #push() frame}; closing it makes every segment it handed out
     * inaccessible (access throws {@link IllegalStateException}, and from another thread
     * {@link WrongThreadException}) and then pops the frame, so its memory is reused by the next arena.
     * Scoped arenas nest like frames and must be closed in reverse order of opening.
     *
     * @implNote The segments are slices of the current chunk, which is given the scope of a confined JDK
     * arena once per chunk: an allocation is a bump and a slice, and closing runs no cleanup action per
     * block. Segments are not zeroed (unlike {@link Arena#ofConfined()}'s).
     */
    @Override
    Arena openArena();

    /** {@return the bytes handed out (with alignment padding) since the last reset, not given back} */
    long used();

    /**
     * {@return the bytes that can still be handed out without taking a chunk from the parent} That is the
     * free space of the current chunk and the spare chunks a frame gave back; alignment padding comes
     * out of it.
     */
    long remaining();

    /** {@return the bytes of memory this arena holds from its parent: the sum of its chunks' sizes} */
    long capacity();

    /** {@return the limit on {@link #capacity()}, {@link Long#MAX_VALUE} if none} */
    long limit();

    /** {@return the number of chunks this arena holds from its parent} */
    int chunks();

    /**
     * Returns every chunk to the parent. Any later allocation throws {@link IllegalStateException};
     * closing again does nothing.
     */
    @Override
    void close();

    /**
     * A saved position of a {@link BumpArena}; closing it rewinds the arena there
     * ({@link BumpArena#push()}). While it is the innermost open frame, it allocates from the arena, with
     * every convenience of {@link SegmentAllocator} ({@code allocateFrom}, arrays of a layout):
     * <pre>{@code
     * try (BumpArena.Frame frame = arena.push()) {
     *     MemorySegment name = frame.allocateFrom("hello");
     *     MemorySegment ints = frame.allocate(ValueLayout.JAVA_INT, 16);
     *     ...
     * }
     * }</pre>
     */
    interface Frame extends SegmentAllocator, AutoCloseable {

        /**
         * {@return a block of {@code layout} from the arena, freed when this frame closes}
         *
         * @param layout the size and alignment of the block
         * @throws AllocatorMisuseException   of kind {@code SCOPE} if this frame is closed, or is not the
         *                                    innermost open frame of its arena
         * @throws BumpLimitExceededException if the arena's limit would be exceeded
         * @throws AllocationException        if the arena's parent cannot provide a chunk
         */
        MemorySegment allocate(Layout layout);

        /**
         * {@inheritDoc} As {@link #allocate(Layout) allocate(Layout.of(byteSize, byteAlignment))}.
         *
         * @throws IllegalArgumentException if the pair is not a valid {@link Layout}
         */
        @Override
        default MemorySegment allocate(long byteSize, long byteAlignment) {
            return allocate(Layout.of(byteSize, byteAlignment));
        }

        /** {@return the arena this frame was pushed on} */
        BumpArena arena();

        /**
         * Rewinds the arena to where it was when this frame was pushed.
         *
         * @throws AllocatorMisuseException of kind {@link AllocatorMisuseException.Kind#SCOPE SCOPE} if a
         *         frame pushed after this one is still open, if this frame was already closed, or if the
         *         arena was reset or closed since the push; the arena is left as it was
         */
        @Override
        void close();
    }

    /**
     * Configures a {@link BumpArena}. Not thread-safe; each {@link #build()} makes an independent arena.
     */
    final class Builder {
        private GlobalAllocator parent;
        private String name = "bump-arena";
        private long firstChunkSize = DEFAULT_FIRST_CHUNK_SIZE;
        private long maxChunkSize = DEFAULT_MAX_CHUNK_SIZE;
        private long limit = Long.MAX_VALUE;

        Builder() {
        }

        /**
         * Sets the allocator chunks come from (default: {@link GlobalAllocator#system()}).
         *
         * @param parent a thread-safe allocator
         * @return this builder
         */
        public Builder parent(GlobalAllocator parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * Sets the name the arena reports in exceptions (default {@code "bump-arena"}).
         *
         * @param name a short name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the size of the first chunk (default {@value BumpArena#DEFAULT_FIRST_CHUNK_SIZE}).
         *
         * @param bytes the size, {@code >= 16}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 16}
         */
        public Builder firstChunkSize(long bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("firstChunkSize=" + bytes + " is too small; expected >= 16");
            }
            this.firstChunkSize = bytes;
            return this;
        }

        /**
         * Sets the size at which chunks stop doubling (default {@value BumpArena#DEFAULT_MAX_CHUNK_SIZE}).
         *
         * @param bytes the cap, {@code >= 16}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 16}
         */
        public Builder maxChunkSize(long bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("maxChunkSize=" + bytes + " is too small; expected >= 16");
            }
            this.maxChunkSize = bytes;
            return this;
        }

        /**
         * Sets the most bytes the arena may hold from its parent (default: no limit).
         *
         * @param bytes the limit, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 0}
         */
        public Builder limit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("limit=" + bytes + " is negative; expected limit >= 0");
            }
            this.limit = bytes;
            return this;
        }

        /** {@return a new, empty arena: it takes its first chunk on its first allocation} */
        public BumpArena build() {
            return new ChunkedBumpArena(name, parent != null ? parent : GlobalAllocator.system(),
                    firstChunkSize, Math.max(firstChunkSize, maxChunkSize), limit);
        }
    }
}
