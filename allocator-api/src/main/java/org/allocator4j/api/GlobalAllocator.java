package org.allocator4j.api;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An allocator of native memory, after Rust's {@code std::alloc::GlobalAlloc}.
 *
 * <p>Library code allocates through {@link #global()} (or an allocator it is given) and so leaves the
 * choice of strategy to the application, which makes it by what it puts on the class or module path.
 *
 * <p>Implementations are thread-safe: every method may be called from any thread, and a block may be
 * freed by another thread than the one that allocated it. An implementation that is confined to one
 * thread must say so and is not a {@code GlobalAllocator} that can be installed globally.
 *
 * @implSpec Every implementation keeps these laws, and {@code allocator-testkit} checks them:
 * <ul>
 *   <li><b>Exact size.</b> {@link #allocate(Layout)} returns a segment of exactly
 *       {@code layout.size()} bytes (never null).</li>
 *   <li><b>Alignment.</b> Its address is a multiple of {@code layout.alignment()}.</li>
 *   <li><b>No overlap.</b> It overlaps no other live block of this allocator. A block is live from the
 *       {@code allocate} that returned it to the {@code deallocate} (or {@code reallocate}) that took it.</li>
 *   <li><b>Zero size.</b> A zero-size request returns {@link Layout#dangling() layout.dangling()}: a
 *       zero-length segment at address {@code layout.alignment()}, allocating nothing. Deallocating it
 *       does nothing; reallocating it allocates; reallocating any block to size 0 frees it and returns
 *       the dangling segment. Every strategy behaves so, so code can rely on it whatever is installed.</li>
 *   <li><b>Failure.</b> A request that cannot be met throws {@link AllocationException} naming the layout
 *       and this allocator; the allocator stays usable and nothing leaks.</li>
 *   <li><b>Sized deallocation.</b> {@link #deallocate(MemorySegment, Layout)} takes a live block of this
 *       allocator with the layout it was allocated with (for a reallocated block, the layout of the last
 *       reallocation). Anything else is undefined behaviour, as in Rust, unless the implementation
 *       documents a checked mode, which throws {@link AllocatorMisuseException} instead.</li>
 * </ul>
 */
public interface GlobalAllocator {

    /**
     * The system property naming the global allocator explicitly, e.g. {@code -Dallocator4j.global=slab}.
     * Without it, the single provider on the path is chosen (or {@code system} when there is none).
     */
    String GLOBAL_PROPERTY = "allocator4j.global";

    /** The name of the built-in allocator that calls libc's {@code malloc} and {@code free}. */
    String SYSTEM = "system";

    /**
     * Allocates a block of memory.
     *
     * @param layout the size and alignment of the block
     * @return a segment of exactly {@code layout.size()} bytes, aligned to {@code layout.alignment()},
     *         overlapping no other live block; for a zero-size layout, {@code layout.dangling()}
     * @throws AllocationException  if the block cannot be allocated
     * @throws NullPointerException if {@code layout} is null
     */
    MemorySegment allocate(Layout layout);

    /**
     * Frees a block.
     *
     * @param block  a live block returned by this allocator (only its address is relied on)
     * @param layout the layout the block was allocated with
     * @throws AllocatorMisuseException if this allocator detects misuse (checked modes only)
     */
    void deallocate(MemorySegment block, Layout layout);

    /**
     * Allocates a block filled with zeros.
     *
     * @implSpec The default calls {@link #allocate(Layout)} and fills the block with zeros.
     *
     * @param layout the size and alignment of the block
     * @return a zero-filled block, as {@link #allocate(Layout)} describes
     * @throws AllocationException if the block cannot be allocated
     */
    default MemorySegment allocateZeroed(Layout layout) {
        MemorySegment block = allocate(layout);
        block.fill((byte) 0);
        return block;
    }

    /**
     * Changes the size of a block, keeping its alignment and its contents up to the smaller of the old
     * and the new size. The old block is no longer live once this returns; on failure it is untouched
     * and still owned by the caller.
     *
     * @implSpec The default allocates a block of {@code Layout.of(newSize, layout.alignment())}, copies
     * {@code min(layout.size(), newSize)} bytes, and deallocates the old block. A zero-size old block is
     * not copied or freed; a {@code newSize} of zero frees the old block and returns the dangling segment.
     *
     * @param block   a live block of this allocator
     * @param layout  the layout it was allocated with
     * @param newSize the new size in bytes
     * @return the block with its new size (maybe at a new address)
     * @throws IllegalArgumentException if {@code newSize} with {@code layout.alignment()} is not a valid
     *                                  {@link Layout}
     * @throws AllocationException      if the new block cannot be allocated (the old one stays live)
     */
    default MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        Layout newLayout = new Layout(newSize, layout.alignment());
        MemorySegment newBlock = allocate(newLayout);
        long keep = Math.min(layout.size(), newSize);
        if (keep > 0) {
            MemorySegment.copy(block, 0, newBlock, 0, keep);
        }
        deallocate(block, layout);
        return newBlock;
    }

    /**
     * {@return this allocator's name, as its provider registers it (e.g. {@code "system"}, {@code "slab"})}
     * It names the allocator in every exception and report.
     */
    String name();

    /**
     * {@return this allocator as a {@link SegmentAllocator}} Its segments have the global scope and are
     * not freed by the adapter: free each with {@link #deallocate(MemorySegment, Layout)} and the layout
     * of its size and alignment, or use {@link #openArena()} to free them together.
     *
     * @implSpec The default maps {@code allocate(byteSize, byteAlignment)} to
     * {@code allocate(Layout.of(byteSize, byteAlignment))}.
     */
    default SegmentAllocator asSegmentAllocator() {
        return (byteSize, byteAlignment) -> allocate(Layout.of(byteSize, byteAlignment));
    }

    /**
     * Opens a confined {@link Arena} that allocates from this allocator and frees everything it handed
     * out when closed.
     *
     * <p>The arena's segments have the scope of a confined JDK arena: they are accessible only from the
     * thread that opened it and, once it is closed, any access throws {@link IllegalStateException}
     * instead of touching freed memory. The arena is meant for try-with-resources.
     *
     * @implSpec The default opens a confined JDK arena for the scope and registers each block's
     * deallocation as a cleanup action of that scope: blocks are freed after the scope is closed.
     *
     * @return a new confined arena over this allocator
     */
    default Arena openArena() {
        return new ScopedArena(this);
    }

    /**
     * {@return the global allocator of this JVM} It is resolved once, on the first call, and never
     * changes afterwards: the allocator named by {@value #GLOBAL_PROPERTY} if set; else the single
     * provider found by {@link java.util.ServiceLoader}; else the built-in {@linkplain #system() system}
     * allocator. An application that wants to fail fast calls it first thing in {@code main}.
     *
     * @throws AllocatorResolutionException on this and every later call, if two or more providers are
     *                                      found and none is chosen by the property, if the property names
     *                                      no provider there is, or if the chosen provider fails to give
     *                                      its allocator (its {@code create()} throws anything but a
     *                                      {@link VirtualMachineError}, returns null or calls
     *                                      {@code global()}, or the allocator's name is not the
     *                                      provider's); the message says which, lists the providers with
     *                                      their jars, and gives the fix
     * @throws VirtualMachineError          if one is thrown while resolving; it is not kept, and the next
     *                                      call resolves again
     */
    static GlobalAllocator global() {
        return GlobalResolver.global();
    }

    /**
     * {@return what {@link #global()} chooses or would choose, and why, without creating any allocator}
     * For diagnostics: it lists every provider found, with the jar it came from.
     */
    static Resolution resolution() {
        return GlobalResolver.resolveFrom(GlobalAllocator.class.getClassLoader(),
                System.getProperty(GLOBAL_PROPERTY));
    }

    /**
     * Creates a new allocator of the provider named {@code name}, or returns {@link #system()} for
     * {@value #SYSTEM}. Unlike {@link #global()}, each call of a provider's name creates a fresh allocator;
     * it is for decorators that take an inner allocator by name, tests, and tools that compare strategies.
     *
     * @param name a provider's {@link org.allocator4j.spi.GlobalAllocatorProvider#name() name}, or
     *             {@value #SYSTEM}
     * @return a new allocator of that provider
     * @throws AllocatorResolutionException if no provider (or more than one) has that name, the message
     *                                      listing the names there are; or if the provider fails to give
     *                                      its allocator, as for {@link #global()} (a failure of its
     *                                      {@code create()} as the cause)
     */
    static GlobalAllocator named(String name) {
        return GlobalResolver.create(GlobalAllocator.class.getClassLoader(), name);
    }

    /**
     * {@return the names {@link #named(String)} accepts: every provider that loads, and {@value #SYSTEM}}
     */
    static java.util.List<String> available() {
        return GlobalResolver.resolveFrom(GlobalAllocator.class.getClassLoader(), null).names();
    }

    /**
     * {@return the built-in allocator over libc's {@code malloc}, {@code calloc}, {@code realloc},
     * {@code posix_memalign} and {@code free}, named {@value #SYSTEM}} It is Rust's {@code System}.
     *
     * @throws UnsupportedOperationException if libc's allocation functions cannot be found
     */
    static GlobalAllocator system() {
        return SystemAllocator.INSTANCE;
    }
}
