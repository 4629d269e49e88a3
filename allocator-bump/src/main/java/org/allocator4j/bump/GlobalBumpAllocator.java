package org.allocator4j.bump;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The global bump allocator, provider {@code bump}: thread-safe, for batch programs that allocate and
 * never free. Memory comes from the {@code system} allocator in chunks and is never returned (the process
 * exit returns it); the total is capped by {@link BumpAllocatorProvider#CAPACITY_PROPERTY}.
 *
 * <p>Two ways of sharing, chosen by {@link BumpAllocatorProvider#CHUNKING_PROPERTY}:
 * <ul>
 *   <li>{@link Chunking#THREAD}: each platform thread bumps in its own chunk (found through a
 *       {@link ThreadLocal}) with plain reads and writes, and takes a new chunk from the shared capacity
 *       with one CAS when it runs out (32 KiB first, doubling up to 1 MiB). Virtual threads have no chunk
 *       of their own (each would hold 32 KiB of the capacity, and never give it back): they bump, by CAS,
 *       in one of a fixed set of striped chunks picked by thread id, twice the processors of them, each
 *       growing as a thread's does. So the capacity given up in partly used chunks grows with the
 *       platform threads and the processors, never with the virtual threads started;</li>
 *   <li>{@link Chunking#SHARED}: all threads bump one chunk with a CAS on its pointer.</li>
 * </ul>
 * {@code BumpGlobalBenchmark} measures both; see the module's README for the numbers and the choice.
 *
 * <p>Requests over {@value #DEDICATED_THRESHOLD} bytes get a chunk of their own, so a large block never
 * wastes the rest of a chunk. {@link #deallocate} does nothing; {@link #reallocate} allocates and copies.
 *
 * <p>VarHandle accesses name their mode at the call ({@code getAcquire}, {@code compareAndSet}); plain
 * field reads are commented where they race benignly.
 */
final class GlobalBumpAllocator implements GlobalAllocator {
    /** How threads share chunks. */
    enum Chunking { THREAD, SHARED }

    static final String NAME = "bump";
    /** The size of the shared chunk, and the most a thread's chunk grows to. */
    static final long CHUNK_SIZE = 1L << 20;
    /**
     * A thread's first chunk; each next one is twice the last, up to {@link #CHUNK_SIZE}. Small, so that
     * many short-lived threads (virtual threads, pools) do not each hold a megabyte of the capacity.
     */
    static final long FIRST_THREAD_CHUNK_SIZE = 32L << 10;
    /** Larger requests get a chunk of their own. */
    static final long DEDICATED_THRESHOLD = CHUNK_SIZE / 4;
    private static final long CHUNK_ALIGNMENT = 16;

    private final long capacity;
    private final Chunking chunking;
    private final GlobalAllocator parent;
    /** Every chunk taken, so that {@link #release()} can give them back; appended on the slow path only. */
    private final Queue<Taken> taken = new ConcurrentLinkedQueue<>();

    /** A chunk and the layout it was allocated with (sized deallocation needs both). */
    private record Taken(MemorySegment chunk, Layout layout) {
    }
    private final AtomicLong held = new AtomicLong();
    // Never null: a thread starts with NO_CHUNK, in which no request fits, so one test covers both cases.
    private final ThreadLocal<LocalChunk> local = ThreadLocal.withInitial(() -> LocalChunk.NO_CHUNK);
    /** SHARED: the one chunk all threads bump (a field, not stripes[0]: one load fewer on its fast path). */
    private final Stripe shared = new Stripe();
    /** THREAD: the virtual threads' chunks, a power of two of them; SHARED: just {@link #shared}. */
    private final Stripe[] stripes;

    GlobalBumpAllocator(long capacity, Chunking chunking) {
        this(capacity, chunking, GlobalAllocator.system());
    }

    /** For tests: chunks come from {@code parent} (the provider always uses {@code system}). */
    GlobalBumpAllocator(long capacity, Chunking chunking, GlobalAllocator parent) {
        this.capacity = capacity;
        this.chunking = chunking;
        this.parent = parent;
        if (chunking == Chunking.SHARED) {
            this.stripes = new Stripe[] {shared};
        } else {
            this.stripes = new Stripe[Stripes.COUNT];
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new Stripe();
            }
        }
    }

    /** A slot holding a shared chunk, replaced (under the stripe's monitor) when it is full. */
    private static final class Stripe {
        volatile SharedChunk chunk = SharedChunk.EMPTY;
    }

    /** A thread's chunk: only its thread reads or writes {@code ptr}. */
    private static final class LocalChunk {
        /** No chunk yet: ptr 0, base 0, so every request (size > 0) goes below base. Never written. */
        static final LocalChunk NO_CHUNK = new LocalChunk(MemorySegment.NULL);

        final MemorySegment segment;
        final long base;
        long ptr;

        LocalChunk(MemorySegment segment) {
            this.segment = segment;
            this.base = segment.address();
            this.ptr = base + segment.byteSize();
        }
    }

    /** The shared chunk: {@code ptr} moves down by CAS. */
    private static final class SharedChunk {
        static final SharedChunk EMPTY = new SharedChunk(MemorySegment.NULL);
        private static final VarHandle PTR;

        static {
            try {
                PTR = MethodHandles.lookup().findVarHandle(SharedChunk.class, "ptr", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final MemorySegment segment;
        final long base;
        volatile long ptr;

        SharedChunk(MemorySegment segment) {
            this.segment = segment;
            this.base = segment.address();
            this.ptr = base + segment.byteSize();
        }

        boolean casPtr(long expected, long value) {
            return PTR.compareAndSet(this, expected, value);
        }
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        if (size == 0) {
            return layout.dangling();
        }
        if (size > DEDICATED_THRESHOLD) {
            return take(layout, size);
        }
        if (chunking == Chunking.SHARED) {
            return allocateShared(shared, layout, size);
        }
        Thread thread = Thread.currentThread();
        // Before the thread local: a virtual thread's first get() would give it a map and a chunk.
        return thread.isVirtual() ? allocateShared(stripeOf(thread), layout, size) : allocateLocal(layout, size);
    }

    private Stripe stripeOf(Thread thread) {
        return stripes[Stripes.of(thread.threadId(), stripes.length - 1)];
    }

    private MemorySegment allocateLocal(Layout layout, long size) {
        LocalChunk c = local.get();
        long p = (c.ptr - size) & -layout.alignment();
        if (p < c.base) {
            c = refillLocal(c, layout, size);
            p = (c.ptr - size) & -layout.alignment();
        }
        c.ptr = p; // plain: only this thread uses c
        // One slice for both paths: escape analysis can remove it only if no other segment merges here.
        return c.segment.asSlice(p - c.base, size);
    }

    /** {@return a new chunk for this thread, large enough for {@code size}} Out of line: rare. */
    private LocalChunk refillLocal(LocalChunk c, Layout layout, long size) {
        long chunkSize = c == LocalChunk.NO_CHUNK ? FIRST_THREAD_CHUNK_SIZE
                : Math.min(CHUNK_SIZE, c.segment.byteSize() * 2);
        LocalChunk fresh = new LocalChunk(take(layout, Math.max(size, chunkSize)));
        local.set(fresh); // the rest of the old chunk is given up
        return fresh;
    }

    private MemorySegment allocateShared(Stripe stripe, Layout layout, long size) {
        while (true) {
            SharedChunk c = stripe.chunk; // volatile read: acquires the chunk's final fields and initial ptr
            long old = c.ptr;
            long p = (old - size) & -layout.alignment();
            if (p < c.base) {
                refill(stripe, c, layout, size); // synchronized, out of line
            } else if (c.casPtr(old, p)) { // volatile CAS: claims [p, old - padding) for this thread alone
                return c.segment.asSlice(p - c.base, size);
            }
        }
    }

    private void refill(Stripe stripe, SharedChunk seen, Layout layout, long size) {
        synchronized (stripe) {
            if (stripe.chunk == seen) { // else another thread refilled already
                // The one shared chunk is a megabyte at once; a virtual threads' stripe grows as a thread's.
                long chunkSize = chunking == Chunking.SHARED ? CHUNK_SIZE
                        : seen == SharedChunk.EMPTY ? FIRST_THREAD_CHUNK_SIZE
                        : Math.min(CHUNK_SIZE, seen.segment.byteSize() * 2);
                stripe.chunk = new SharedChunk(take(layout, Math.max(size, chunkSize))); // volatile write publishes it
            }
        }
    }

    /**
     * {@return a new chunk of {@code bytes} (at least {@code layout.size()}) from the system allocator,
     * counted against the capacity; fewer bytes, but enough for the layout, when the capacity is nearly used}
     */
    private MemorySegment take(Layout layout, long bytes) {
        long alignment = Math.max(CHUNK_ALIGNMENT, layout.alignment());
        long reserved;
        while (true) {
            long before = held.get();
            long free = capacity - before;
            reserved = Math.min(bytes, free);
            if (reserved < layout.size()) {
                throw new BumpLimitExceededException(NAME, layout, capacity, before, "raise it with -D"
                        + BumpAllocatorProvider.CAPACITY_PROPERTY + "=<bytes> (k, m, g suffixes allowed)");
            }
            if (held.compareAndSet(before, before + reserved)) {
                break;
            }
        }
        Layout chunkLayout = Layout.of(reserved, alignment);
        MemorySegment chunk;
        try {
            chunk = parent.allocate(chunkLayout);
        } catch (AllocationException e) {
            held.addAndGet(-reserved);
            throw new AllocationException(NAME, layout, "the " + parent.name() + " allocator cannot provide a chunk of "
                    + reserved + " bytes", e);
        }
        taken.add(new Taken(chunk, chunkLayout));
        return chunk;
    }

    /**
     * Gives every chunk back to the parent. Terminal: for tests and for an allocator that is discarded,
     * when no thread uses it any more (threads' cached chunks would point into freed memory). Never called
     * on the installed global allocator, whose memory lives until the process exits.
     */
    void release() {
        for (Taken t; (t = taken.poll()) != null; ) {
            parent.deallocate(t.chunk(), t.layout());
        }
        held.set(capacity); // nothing more can be taken
        for (Stripe stripe : stripes) {
            stripe.chunk = SharedChunk.EMPTY;
        }
    }

    /** Does nothing: the global bump allocator never frees (its memory lives until the process exits). */
    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        // Batch semantics: nothing is reused.
    }

    /** {@return the bytes taken from the system so far} */
    long held() {
        return held.get();
    }

    long capacity() {
        return capacity;
    }

    Chunking chunking() {
        return chunking;
    }

    /** {@return how many shared chunks there are: 1 for SHARED, the virtual threads' stripes for THREAD} */
    int stripes() {
        return stripes.length;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "GlobalAllocator[bump: " + chunking.name().toLowerCase(java.util.Locale.ROOT) + " chunks, capacity="
                + capacity + ", held=" + held.get() + "]";
    }
}
