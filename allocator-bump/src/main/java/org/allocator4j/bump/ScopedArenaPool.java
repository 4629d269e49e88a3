package org.allocator4j.bump;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bump arenas behind {@link BumpArena#openScoped()} on virtual threads: a fixed set of slots, each
 * empty or holding one idle arena with one chunk, shared by every virtual thread.
 *
 * <p>A virtual thread owns no stack (a million of them would each hold a first chunk until collected).
 * {@link #open()} takes an idle arena from a slot, starting at the one its thread id picks and trying each
 * in turn, by {@code getAndSet(null)}: the arena is then the caller's alone. When the scoped arena
 * closes, its arena is reset (keeping its largest chunk, at most {@link #POOLED_CHUNK_LIMIT} bytes) and put
 * back in the first empty slot by {@code compareAndSet(null, arena)}, or closed, its memory returned,
 * when every slot is full. So the memory is that of the scoped arenas open now plus at most one chunk per
 * slot, however many threads ever opened one. There are {@link Stripes#COUNT} slots: a virtual thread
 * holds an arena only between {@code openScoped()} and {@code close()}, and no more of them run at once
 * than there are carriers, unless they block inside the scope.
 *
 * <p>This is the JDK's shape for pooled confined arenas (per-thread pools for platform threads, a fixed
 * set of CAS-claimed slots for virtual threads), with one difference: an arena is claimed for the whole
 * scope and released by its close, so an allocation inside the scope takes no atomic operation at all.
 *
 * <p>Hand-over: the {@code getAndSet} that takes an arena reads, with acquire semantics, what the
 * {@code compareAndSet} that put it back published with release semantics (every write of the closing
 * thread to the arena), so the arena, which is not thread-safe, is used by one thread at a time.
 */
final class ScopedArenaPool {
    static final String NAME = "bump-scoped";
    /** A pooled arena keeps one chunk of at most this many bytes; larger ones go back to the system. */
    static final long POOLED_CHUNK_LIMIT = 1L << 20;

    static final ScopedArenaPool VIRTUAL_THREADS = new ScopedArenaPool(Stripes.COUNT);

    private final AtomicReferenceArray<ChunkedBumpArena> slots;
    /** Arenas created because every slot was empty; for tests and the footprint's bound. */
    private final AtomicLong created = new AtomicLong();

    /** @param slots a power of two */
    ScopedArenaPool(int slots) {
        this.slots = new AtomicReferenceArray<>(slots);
    }

    /** {@return a new scoped arena over an idle pooled arena, or a new one when none is idle} */
    Arena open() {
        ChunkedBumpArena arena = take();
        return new BumpScopedArena(arena, this);
    }

    private ChunkedBumpArena take() {
        int mask = slots.length() - 1;
        int first = Stripes.of(Thread.currentThread().threadId(), mask);
        for (int i = 0; i <= mask; i++) {
            int slot = (first + i) & mask;
            // Plain read first: an empty slot costs no atomic write.
            if (slots.getPlain(slot) != null) {
                ChunkedBumpArena arena = slots.getAndSet(slot, null); // acquires the arena from its last user
                if (arena != null) {
                    return arena;
                }
            }
        }
        created.incrementAndGet();
        return (ChunkedBumpArena) BumpArena.builder().name(NAME)
                .firstChunkSize(BumpArena.THREAD_STACK_FIRST_CHUNK_SIZE).build();
    }

    /**
     * Called by a closing scoped arena of this pool, its frame popped: keeps {@code arena} for the next
     * {@link #open()} if a slot is empty and its largest chunk is small enough, else closes it.
     */
    void giveBack(ChunkedBumpArena arena) {
        arena.reset(); // keeps the largest chunk only, empty
        if (arena.capacity() <= POOLED_CHUNK_LIMIT) {
            int mask = slots.length() - 1;
            int first = Stripes.of(Thread.currentThread().threadId(), mask);
            for (int i = 0; i <= mask; i++) {
                int slot = (first + i) & mask;
                // Release: publishes every write of this thread to the arena to the thread that takes it.
                if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, arena)) {
                    return;
                }
            }
        }
        arena.close(); // every slot full: its memory goes back to the system
    }

    /** {@return how many slots there are} */
    int slots() {
        return slots.length();
    }

    /** {@return how many slots hold an idle arena now} */
    int idle() {
        int idle = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                idle++;
            }
        }
        return idle;
    }

    /** {@return how many arenas this pool has created so far} */
    long created() {
        return created.get();
    }
}
