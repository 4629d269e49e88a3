package org.allocator4j.slab;

import org.allocator4j.api.GlobalAllocator;

/**
 * A size-class slab allocator with per-thread caches: the general-purpose strategy to install instead of
 * {@code system}, registered as the provider {@value SlabProvider#NAME}.
 *
 * <p>Small blocks (up to 32 KiB, in 40 classes of about four per doubling) come from slabs, large regions
 * of the parent allocator carved into equal blocks; each platform thread allocates and frees through its
 * own cache without a lock or CAS, and virtual threads share a bounded set of caches, each claimed by one
 * CAS around an operation (so memory follows the carriers, not the number of virtual threads ever started).
 * Larger blocks, and blocks aligned to more than 32 KiB, go straight to the parent. Empty slabs go back to
 * the parent after a decay ({@link SlabConfig#decayMillis()}) or on {@link #trim()}.
 *
 * <p><b>Checked frees</b> (a mode, off by default: {@link SlabConfig#checkFrees()}, the system property
 * {@code allocator4j.slab.checkFrees=true}; it costs about 8-14 ns per allocate+free pair): {@code deallocate} of a small
 * block throws {@link org.allocator4j.api.AllocatorMisuseException} before anything changes if the address
 * is in no live slab of this allocator ({@code FOREIGN_BLOCK}: another allocator's or an arena's memory,
 * address 0), is inside a block but not its start ({@code FOREIGN_BLOCK}), is in a slab of another class
 * ({@code LAYOUT_MISMATCH}), or is free already ({@code DOUBLE_FREE}, found by a mark in bytes 8..16 of
 * every free block, so at the second free, before the block can be handed out twice). A wrong layout of
 * the same class is harmless and not reported; large blocks go to the parent unchecked.
 *
 * @implSpec The {@link GlobalAllocator} laws hold. Sized deallocation: a block must be freed with the
 * layout it was allocated with, as the contract says; the allocator keeps no header per block and finds
 * the block's class from the layout. With checked frees off, misuse is undefined behaviour (use the
 * tracking module's checked mode to detect it).
 *
 * @implNote Thread-safe; any thread may free a block any thread allocated. A block of class {@code c} is
 * aligned to the largest power of two dividing {@code c} (at least 16); a request aligned to more takes a
 * larger class. {@code allocateZeroed} zeroes the block. {@code reallocate} within one class keeps the
 * address.
 */
public interface SlabAllocator extends GlobalAllocator {

    /**
     * Returns memory to the parent: flushes the calling platform thread's cache, the caches of platform
     * threads that have died, every cache virtual threads share that is not busy at that moment, and every
     * class's depot back to the slabs, then gives every empty slab back to the parent. Caches of other live
     * platform threads are left alone (each is bounded by {@link SlabConfig#cacheClassBytes()} and
     * {@link SlabConfig#cacheMaxBlocks()} per class, and trims its idle classes itself).
     *
     * @throws IllegalStateException after all that, if a block found on the way is in no slab of its class
     *                               (with checked frees off, a foreign block or a wrong layout was freed:
     *                               misuse); the block is dropped
     */
    void trim();

    /** {@return a snapshot of this allocator's memory: in use, cached, retained, per class} */
    SlabStatistics statistics();

    /**
     * Returns every slab to the parent. Every block this allocator handed out becomes invalid.
     *
     * @apiNote For tests and for allocators a program creates and discards; never call it on the global
     * allocator, nor while another thread may still use this one.
     */
    void close();

    /**
     * {@return a new slab allocator configured by the {@code allocator4j.slab.*} system properties}
     *
     * @throws IllegalArgumentException if a property is invalid
     */
    static SlabAllocator create() {
        return create(SlabConfig.fromSystemProperties());
    }

    /**
     * {@return a new slab allocator with {@code config}, over the allocator {@code config.parent()} names}
     *
     * @param config the tuning
     * @throws org.allocator4j.api.AllocatorResolutionException if no allocator has that name
     */
    static SlabAllocator create(SlabConfig config) {
        return new SlabHeap(config, GlobalAllocator.named(config.parent()));
    }

    /**
     * {@return a new slab allocator with {@code config}, over {@code parent}} ({@code config.parent()} is
     * ignored).
     *
     * @param config the tuning
     * @param parent where slabs and large blocks come from; it must honour alignments up to 256 KiB
     */
    static SlabAllocator create(SlabConfig config, GlobalAllocator parent) {
        return new SlabHeap(config, parent);
    }
}
