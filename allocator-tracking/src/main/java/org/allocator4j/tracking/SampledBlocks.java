package org.allocator4j.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live sampled blocks of a tracking allocator and their sites, in a direct-mapped table keyed by
 * address, so that a free, which must ask whether its block was sampled, costs one hash and one load.
 *
 * <p>A sample whose slot is taken by another live sampled block is not recorded (the caller samples the
 * next allocation instead): sampling is statistical, and a full table degrades it gracefully rather than
 * slowing frees down.
 */
final class SampledBlocks {
    /** A sampled live block. */
    record Sample(long address, long size, AllocationSite site) {
    }

    /** Element access to {@link #addresses}; the mode is in each call's name. */
    private static final VarHandle ADDRESS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    /** Address of the sample in each slot, 0 when free. Claimed by CAS, released by the block's freer. */
    private final long[] addresses;
    private final AtomicReferenceArray<Sample> samples;

    SampledBlocks(int slots) {
        int size = Integer.highestOneBit(Math.max(16, slots - 1) << 1);
        this.mask = size - 1;
        this.addresses = new long[size];
        this.samples = new AtomicReferenceArray<>(size);
    }

    private int slot(long address) {
        long h = address * 0x9E3779B97F4A7C15L; // Fibonacci hashing: alignment zeros leave the low bits
        return (int) (h >>> 40) & mask;
    }

    /** {@return whether the sample was recorded} The block must be live and not yet recorded. */
    boolean record(long address, long size, AllocationSite site) {
        int i = slot(address);
        // Volatile CAS: claims the slot against other threads sampling another block with the same slot.
        if ((long) ADDRESS.getOpaque(addresses, i) != 0 || !ADDRESS.compareAndSet(addresses, i, 0L, address)) {
            return false;
        }
        // Release: a leaks() reader that sees the sample sees it whole. The block's freer sees it through
        // the hand-off of the block itself, which happens after this method returns.
        samples.setRelease(i, new Sample(address, size, site));
        return true;
    }

    /** Forgets the block at {@code address} if it was sampled; called on its free. */
    void remove(long address) {
        int i = slot(address);
        // Plain load: the slot holds this address only if this block was sampled, and then the sample was
        // published to this thread with the block itself; no other thread can clear it meanwhile.
        if (addresses[i] == address) {
            samples.set(i, null);
            ADDRESS.setRelease(addresses, i, 0L); // release: the slot is free only after its sample is gone
        }
    }

    /** {@return the sample for {@code address}, or null} */
    Sample get(long address) {
        int i = slot(address);
        Sample sample = samples.getAcquire(i);
        return sample != null && sample.address() == address ? sample : null;
    }

    /** {@return the live samples grouped by site, most bytes first} */
    List<Leak> bySite() {
        Map<AllocationSite, long[]> sites = new HashMap<>();
        for (int i = 0; i <= mask; i++) {
            Sample sample = samples.getAcquire(i);
            if (sample != null) {
                long[] sum = sites.computeIfAbsent(sample.site(), s -> new long[2]);
                sum[0]++;
                sum[1] += sample.size();
            }
        }
        return group(sites);
    }

    static List<Leak> group(Map<AllocationSite, long[]> sites) {
        List<Leak> leaks = new ArrayList<>();
        sites.forEach((site, sum) -> leaks.add(new Leak(site, sum[0], sum[1])));
        leaks.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return leaks;
    }
}
