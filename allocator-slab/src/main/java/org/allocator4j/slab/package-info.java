/**
 * The slab strategy: {@link org.allocator4j.slab.SlabAllocator}, its {@link org.allocator4j.slab.SlabConfig}
 * and {@link org.allocator4j.slab.SlabStatistics}, and the provider {@code slab}.
 *
 * <p>Inside: {@code SizeClass} (size-class math), {@code ThreadCache} (the fast path), {@code PlatformCaches}
 * (a platform thread's own cache), {@code SharedCaches} (the caches virtual threads claim by CAS),
 * {@code FreeCheck} (the checked free), {@code Depot}
 * (magazines between caches), {@code ClassPool}
 * (slabs of one class, refill and decay), {@code Slab} (one region and its free lists), {@code SlabMap}
 * (slab by address), {@code SlabHeap} (the allocator). The only restricted FFM call is in
 * {@code NativeMemory}, under a {@code // SAFETY:} comment.
 *
 * <p>VarHandle access modes are named in the accessor: {@code ...Volatile} for volatile reads and
 * writes, {@code cas...}/{@code getAndSet...} for the atomic updates; each says at the line what it
 * publishes.
 */
package org.allocator4j.slab;
