package org.allocator4j.bump;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.Layout;

/**
 * A confined {@link Arena} over a {@link ChunkedBumpArena} ({@link BumpArena#openArena()}).
 *
 * <p>Opening pushes a frame on the bump arena and opens a confined JDK arena for the scope. Each block is
 * bumped from the bump arena and sliced from the current chunk reinterpreted into that scope; the
 * reinterpreted view is made once per chunk, not per block. Closing closes the JDK scope first (every
 * segment becomes inaccessible) and then pops the frame, so the next scoped arena reuses the memory.
 * No cleanup action is registered with the scope: the pop is done here, after a successful close. A
 * scoped arena opened from a {@link ScopedArenaPool} (a virtual thread's {@link BumpArena#openScoped()})
 * then gives its bump arena back to the pool.
 *
 * @implNote Not thread-safe: confined to the thread that opened it, as {@link Arena#ofConfined()}.
 */
final class BumpScopedArena implements Arena {
    private final ChunkedBumpArena bump;
    private final Thread owner = Thread.currentThread();
    private final ArenaFrame frame;
    private final Arena scope;
    /** The pool {@link #bump} came from and goes back to on close, or null for a thread's own stack. */
    private final ScopedArenaPool pool;
    // The bump arena's current chunk when last seen, and its view in this scope.
    private MemorySegment chunk;
    private MemorySegment scopedChunk;

    BumpScopedArena(ChunkedBumpArena bump) {
        this(bump, null);
    }

    /** A scoped arena over {@code bump}, which goes back to {@code pool} (if not null) when this closes. */
    BumpScopedArena(ChunkedBumpArena bump, ScopedArenaPool pool) {
        this.bump = bump;
        this.pool = pool;
        this.frame = (ArenaFrame) bump.push();
        this.scope = Arena.ofConfined();
        bump.scopeOpened();
        if (bump.currentSegment() != null) {
            rescope(); // here rather than in the first allocate, which then stays small enough to inline
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code byteSize < 0} or {@code byteAlignment} is not a power of two
     * @throws IllegalStateException    if this arena is closed
     * @throws WrongThreadException     if called from another thread than the one that opened this arena
     * @throws BumpLimitExceededException if the bump arena's limit would be exceeded
     */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteSize <= 0 || byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0) {
            return allocateUnusual(byteSize, byteAlignment);
        }
        checkAccess();
        long address = bump.bump(byteSize, byteAlignment);
        MemorySegment view = scopedChunk;
        if (bump.currentSegment() != chunk) {
            view = rescope(); // the first block, or the bump arena moved to another chunk
        }
        return view.asSlice(address - bump.currentStart(), byteSize);
    }

    // The rare paths are methods of their own, so that allocate and close compile small enough to be
    // inlined into the caller, where escape analysis can then remove the segments.

    /** Size zero (a zero-length segment of this scope) or invalid arguments (the Layout check throws). */
    private MemorySegment allocateUnusual(long byteSize, long byteAlignment) {
        Layout.of(byteSize, byteAlignment); // throws IllegalArgumentException naming the bad value
        checkAccess();
        return Reinterpret.dangling(byteAlignment, scope);
    }

    private MemorySegment rescope() {
        chunk = bump.currentSegment();
        scopedChunk = Reinterpret.intoScope(chunk, scope);
        return scopedChunk;
    }

    private void checkAccess() {
        if (Thread.currentThread() != owner || !scope.scope().isAlive()) {
            throw accessFailure(); // out of line, so that allocate stays small enough to inline
        }
    }

    private RuntimeException accessFailure() {
        if (Thread.currentThread() != owner) {
            return new WrongThreadException("scoped bump arena over '" + bump.name() + "' is confined to thread "
                    + owner.getName() + "; called from " + Thread.currentThread().getName());
        }
        return new IllegalStateException("scoped bump arena over '" + bump.name() + "' is already closed");
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException    if this arena is already closed, or a segment of it is in use by a
     *                                  downcall
     * @throws WrongThreadException     if called from another thread than the one that opened this arena
     * @throws AllocatorMisuseException of kind {@code SCOPE} if a frame or scoped arena opened on the same
     *                                  bump arena after this one is still open (nothing is closed then)
     */
    @Override
    public void close() {
        checkAccess();
        if (!bump.isTop(frame)) {
            throw outOfOrder();
        }
        scope.close(); // first: no segment of this arena is accessible after this line
        bump.scopeClosed();
        bump.pop(frame);
        if (pool != null) {
            pool.giveBack(bump); // after the pop: the arena is idle, and no longer this scope's
        }
    }

    private AllocatorMisuseException outOfOrder() {
        return new AllocatorMisuseException(AllocatorMisuseException.Kind.SCOPE, bump.name(),
                "scoped arena closed out of order: " + bump.whyNotTop(frame));
    }

    @Override
    public String toString() {
        return "ScopedBumpArena[" + bump.name() + ", alive=" + scope.scope().isAlive() + "]";
    }
}
