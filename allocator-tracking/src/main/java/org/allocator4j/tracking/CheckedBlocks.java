package org.allocator4j.tracking;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Checked mode's book of blocks: every live block with its layout and allocation site, recently freed
 * blocks with their free site, and a quarantine of poisoned freed blocks.
 *
 * <p>Every free is checked before anything reaches the inner allocator: a block not live here is a
 * {@link Kind#DOUBLE_FREE} (when it is in the free history) or a {@link Kind#FOREIGN_BLOCK}; a live block
 * freed with another layout is a {@link Kind#LAYOUT_MISMATCH}; a damaged red zone is an
 * {@link Kind#OVERRUN}. Each of those leaves every state as it was (an overrun block stays live and is
 * never released: its neighbours may be damaged too).
 *
 * <p>An accepted free paints the block with {@link RedZone#POISON} and holds it in quarantine, so its
 * address is not reused at once and a second free is still recognised. A block leaving quarantine, to go
 * back to the inner allocator for reuse, is checked: a changed byte is a {@link Kind#USE_AFTER_FREE}
 * reported (after the release) by the call that evicted it, or by {@link #drain()}.
 *
 * @implNote One lock guards the book; inner allocations and releases happen outside it. Checked mode is
 * for tests and debugging, not for throughput.
 */
final class CheckedBlocks {
    /** A live block: the inner block with its red zones, and the caller's slice of it. */
    record Block(MemorySegment base, MemorySegment user, Layout layout, Layout innerLayout,
                 AllocationSite allocated) {
    }

    /** A freed block and where it was freed. */
    record Freed(Block block, AllocationSite freedAt) {
    }

    private static final int HISTORY = 16_384;

    private final String name;
    private final GlobalAllocator inner;
    private final long quarantineBytes;
    private final int quarantineBlocks;
    private final Map<Long, Block> live = new HashMap<>();
    private final Map<Long, Freed> history = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Freed> eldest) {
            return size() > HISTORY;
        }
    };
    private final ArrayDeque<Freed> quarantine = new ArrayDeque<>();
    private long quarantined;

    CheckedBlocks(String name, GlobalAllocator inner, long quarantineBytes, int quarantineBlocks) {
        this.name = name;
        this.inner = inner;
        this.quarantineBytes = quarantineBytes;
        this.quarantineBlocks = quarantineBlocks;
    }

    /** Allocates a red-zoned block of {@code layout} ({@code size > 0}) from the inner allocator. */
    MemorySegment allocate(Layout layout, boolean zeroed) {
        Layout innerLayout = RedZone.inner(layout, name);
        MemorySegment base = inner.allocate(innerLayout);
        RedZone.paint(base, layout);
        MemorySegment user = base.asSlice(RedZone.front(layout), layout.size());
        if (zeroed) {
            user.fill((byte) 0);
        }
        Block block = new Block(base, user, layout, innerLayout, AllocationSite.capture());
        synchronized (this) {
            live.put(user.address(), block);
            history.remove(user.address());
        }
        return user;
    }

    /**
     * Checks that {@code segment} is a live block of {@code layout} with intact red zones.
     *
     * @return the block
     * @throws AllocatorMisuseException if not; nothing changes
     */
    synchronized Block check(MemorySegment segment, Layout layout, String operation) {
        long address = segment.address();
        Block block = live.get(address);
        if (block == null) {
            Freed freed = history.get(address);
            if (freed != null) {
                throw misuse(Kind.DOUBLE_FREE, operation + " of a block already freed: block=" + hex(address)
                        + ", " + layout + "\n allocated at " + freed.block().allocated() + "\n"
                        + freed.block().allocated().stackTrace() + "\n first freed at " + freed.freedAt() + "\n"
                        + freed.freedAt().stackTrace());
            }
            throw misuse(Kind.FOREIGN_BLOCK, operation + " of a block this allocator did not hand out: block="
                    + hex(address) + ", " + layout + containing(address));
        }
        if (!block.layout().equals(layout)) {
            throw misuse(Kind.LAYOUT_MISMATCH, operation + " with " + layout + " of block=" + hex(address)
                    + " allocated with " + block.layout() + "\n allocated at " + block.allocated() + "\n"
                    + block.allocated().stackTrace());
        }
        checkZones(block);
        return block;
    }

    private void checkZones(Block block) {
        Long damage = RedZone.firstDamage(block.base(), block.layout());
        if (damage != null) {
            throw misuse(Kind.OVERRUN, "red zone of block=" + hex(block.user().address()) + ", " + block.layout()
                    + " overwritten at offset=" + damage + " (the block stays live and is not released)"
                    + "\n allocated at " + block.allocated() + "\n" + block.allocated().stackTrace());
        }
    }

    /** {@return whether some live block is allocated with a non-zero layout at {@code address}} */
    synchronized boolean isLive(long address) {
        return live.containsKey(address);
    }

    /**
     * Frees a block: checks it, poisons it, quarantines it, and releases what leaves quarantine.
     *
     * @return a {@link Kind#USE_AFTER_FREE} for a block that left quarantine damaged, to throw once the
     *         caller has counted this (accepted) free; or null
     * @throws AllocatorMisuseException if the free itself is misuse; nothing changes
     */
    AllocatorMisuseException free(MemorySegment segment, Layout layout) {
        AllocationSite site = AllocationSite.capture();
        List<Freed> evicted = new ArrayList<>();
        synchronized (this) {
            Block block = check(segment, layout, "deallocate");
            live.remove(block.user().address());
            block.user().fill(RedZone.POISON);
            Freed freed = new Freed(block, site);
            history.put(block.user().address(), freed);
            quarantine.addLast(freed);
            quarantined += block.layout().size();
            // The newest block stays, even alone above the byte limit (unless the quarantine is off): a block
            // larger than the quarantine is held until the next free, not released unchecked at once.
            int keep = quarantineBlocks == 0 || quarantineBytes == 0 ? 0 : 1;
            while (quarantine.size() > keep && (quarantine.size() > quarantineBlocks || quarantined > quarantineBytes)) {
                Freed old = quarantine.removeFirst();
                quarantined -= old.block().layout().size();
                evicted.add(old);
            }
        }
        return release(evicted);
    }

    /**
     * Releases every quarantined block to the inner allocator.
     *
     * @return a {@link Kind#USE_AFTER_FREE} if one of them was written to after its free, or null
     */
    AllocatorMisuseException drain() {
        List<Freed> evicted;
        synchronized (this) {
            evicted = new ArrayList<>(quarantine);
            quarantine.clear();
            quarantined = 0;
        }
        return release(evicted);
    }

    /** Checks every live block's red zones and every quarantined block's poison, changing nothing. */
    synchronized void verify() {
        for (Block block : live.values()) {
            checkZones(block);
        }
        for (Freed freed : quarantine) {
            AllocatorMisuseException damage = poisonDamage(freed);
            if (damage != null) {
                throw damage;
            }
        }
    }

    private AllocatorMisuseException release(List<Freed> evicted) {
        AllocatorMisuseException first = null;
        for (Freed old : evicted) {
            AllocatorMisuseException damage = poisonDamage(old);
            if (first == null) {
                first = damage;
            }
            // A write after free damaged only our quarantined copy: the inner allocator's block is fine.
            Block block = old.block();
            synchronized (this) {
                history.remove(block.user().address());
            }
            inner.deallocate(block.base(), block.innerLayout());
        }
        return first;
    }

    private AllocatorMisuseException poisonDamage(Freed freed) {
        Block block = freed.block();
        long offset = RedZone.firstUnpoisoned(block.user());
        if (offset < 0) {
            return null;
        }
        return misuse(Kind.USE_AFTER_FREE, "block=" + hex(block.user().address()) + ", " + block.layout()
                + " written to after its free at offset=" + offset + "\n allocated at " + block.allocated() + "\n"
                + block.allocated().stackTrace() + "\n freed at " + freed.freedAt() + "\n"
                + freed.freedAt().stackTrace());
    }

    /** {@return the live blocks grouped by allocation site} */
    synchronized List<Leak> bySite() {
        Map<AllocationSite, long[]> sites = new HashMap<>();
        for (Block block : live.values()) {
            long[] sum = sites.computeIfAbsent(block.allocated(), s -> new long[2]);
            sum[0]++;
            sum[1] += block.layout().size();
        }
        return SampledBlocks.group(sites);
    }

    /** {@return the allocation site of the live block at {@code address}, or null} */
    synchronized AllocationSite siteOf(long address) {
        Block block = live.get(address);
        return block == null ? null : block.allocated();
    }

    private String containing(long address) {
        for (Iterator<Block> it = live.values().iterator(); it.hasNext(); ) {
            Block block = it.next();
            long start = block.user().address();
            if (address > start && address < start + block.layout().size()) {
                return "; it is inside block=" + hex(start) + ", " + block.layout() + " at offset="
                        + (address - start) + ", allocated at " + block.allocated();
            }
        }
        return "";
    }

    private AllocatorMisuseException misuse(Kind kind, String detail) {
        return new AllocatorMisuseException(kind, name, detail);
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
