package org.allocator4j.bump;

import java.lang.ref.Cleaner;

/**
 * The per-thread stacks of {@link BumpArena#threadStack()}: one growable {@link ChunkedBumpArena} per
 * thread, created on first use.
 *
 * <p>A thread that ends without {@link BumpArena#releaseThreadStack()} would leak its chunks, so each
 * stack is registered with a {@link Cleaner} on its thread: once the thread is unreachable, the stack is
 * closed from the cleaner's thread. That is safe without synchronization because the owner thread has
 * ended. A stack with a scoped arena still open (never closed) is leaked instead of freed.
 */
final class ThreadStacks {
    static final String NAME = "bump-thread-stack";

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<Stack> STACKS = new ThreadLocal<>();

    private ThreadStacks() {
    }

    /** A thread's stack and its registration with the cleaner. */
    private record Stack(ChunkedBumpArena arena, Cleaner.Cleanable cleanable) {
    }

    static ChunkedBumpArena current() {
        Stack stack = STACKS.get();
        return stack != null && !stack.arena.isClosed() ? stack.arena : create(stack);
    }

    /** A new stack for this thread; {@code old} is null, or a stack closed directly with {@code close()}. */
    private static ChunkedBumpArena create(Stack old) {
        if (old != null) {
            old.cleanable.clean(); // closed already: only unregisters it
        }
        ChunkedBumpArena arena = (ChunkedBumpArena) BumpArena.builder()
                .name(NAME)
                .firstChunkSize(BumpArena.THREAD_STACK_FIRST_CHUNK_SIZE)
                .build();
        // The action holds the arena, never the thread: the thread stays collectable.
        Cleaner.Cleanable cleanable = CLEANER.register(Thread.currentThread(), arena::closeUnlessScoped);
        STACKS.set(new Stack(arena, cleanable));
        return arena;
    }

    static void release() {
        Stack stack = STACKS.get();
        if (stack == null) {
            return;
        }
        stack.arena.close(); // refuses (and keeps the stack) while a scoped arena on it is open
        STACKS.remove();
        stack.cleanable.clean(); // the arena is closed already: this only unregisters it
    }
}
