package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.common.collect.Range;
import com.google.common.collect.RangeMap;
import com.google.common.collect.TreeRangeMap;

import org.allocator4j.api.Layout;

/**
 * The live blocks of one allocator under test, in a Guava range map from address ranges to blocks, with
 * the laws every returned block must keep: exact size, alignment, no overlap, and the zero-size rule.
 * Thread-safe: bookkeeping is synchronized, while a block's contents belong to whoever holds it. A block
 * is removed <em>before</em> it is passed to the allocator and added <em>after</em> the allocator returned
 * it, so any overlap found is real.
 */
final class LiveBlocks {

    /** A live block and the seed of its byte pattern. */
    record Block(long id, MemorySegment segment, Layout layout, int seed) {
        @Override
        public String toString() {
            return "block#" + id + "[0x" + Long.toHexString(segment.address()) + ", " + layout + "]";
        }
    }

    private final Journal journal;
    private final RangeMap<Long, Block> ranges = TreeRangeMap.create();
    private final Map<Long, Block> blocks = new java.util.LinkedHashMap<>();
    private long nextId;

    LiveBlocks(Journal journal) {
        this.journal = journal;
    }

    Journal journal() {
        return journal;
    }

    /**
     * Checks a block just returned for {@code layout} and records it as live.
     *
     * @return the new block, with its pattern seed (not written yet)
     * @throws ContractViolation if the block breaks exact size, alignment, the zero-size rule, or overlaps
     */
    Block add(MemorySegment segment, Layout layout, String operation) {
        return add(segment, layout, operation, -1);
    }

    /** As {@link #add(MemorySegment, Layout, String)}, keeping {@code seed} if it is not negative. */
    Block add(MemorySegment segment, Layout layout, String operation, int seed) {
        long id;
        synchronized (this) {
            id = nextId++;
        }
        String returned = segment == null ? "null"
                : "block#" + id + "[0x" + Long.toHexString(segment.address()) + ", byteSize=" + segment.byteSize() + "]";
        journal.record(operation + " -> " + returned);
        if (segment == null) {
            throw journal.violation(Rule.EXACT_SIZE, operation + " returned null for " + layout);
        }
        if (segment.byteSize() != layout.size()) {
            throw journal.violation(Rule.EXACT_SIZE, operation + " returned " + segment.byteSize()
                    + " bytes at 0x" + Long.toHexString(segment.address()) + " for " + layout
                    + "; expected byteSize=" + layout.size());
        }
        if (!layout.isAligned(segment.address())) {
            throw journal.violation(Rule.ALIGNMENT, operation + " returned address=0x"
                    + Long.toHexString(segment.address()) + " for " + layout + ", which is "
                    + Long.numberOfTrailingZeros(segment.address()) + " bits aligned; expected a multiple of "
                    + layout.alignment());
        }
        if (!segment.isNative()) {
            throw journal.violation(Rule.NATIVE, operation + " returned a heap segment (isNative()=false, "
                    + segment + ") for " + layout + "; expected native memory");
        }
        if (layout.size() > 0) {
            probeAddress(segment, layout, operation);
        }
        if (layout.size() == 0 && segment.address() != layout.alignment()) {
            throw journal.violation(Rule.ZERO_SIZE, operation + " returned address=0x"
                    + Long.toHexString(segment.address()) + " for " + layout
                    + "; expected layout.dangling() at address=" + layout.alignment());
        }
        synchronized (this) {
            Block block = new Block(id, segment, layout, seed >= 0 ? seed : (int) ((id * 97 + 13) % Patterns.PERIOD));
            if (layout.size() > 0) {
                Range<Long> range = Range.closedOpen(segment.address(), segment.address() + layout.size());
                Map<Range<Long>, Block> overlapping = ranges.subRangeMap(range).asMapOfRanges();
                if (!overlapping.isEmpty()) {
                    Block other = overlapping.values().iterator().next();
                    throw journal.violation(Rule.NO_OVERLAP, operation + " returned " + block
                            + " covering " + range + ", which overlaps live " + other + " covering "
                            + Range.closedOpen(other.segment.address(), other.segment.address() + other.layout.size()));
                }
                ranges.put(range, block);
            }
            blocks.put(block.id, block);
            return block;
        }
    }

    /**
     * Checks that the block's bytes are at its address: a byte written through a segment re-derived from
     * the address reads back through the returned segment, and the other way round, at both ends.
     */
    private void probeAddress(MemorySegment segment, Layout layout, String operation) {
        MemorySegment view = NativeAccess.at(segment.address(), layout.size());
        for (long offset : new long[] {0, layout.size() - 1}) {
            byte old = segment.get(ValueLayout.JAVA_BYTE, offset);
            view.set(ValueLayout.JAVA_BYTE, offset, (byte) ~old);
            byte seen = segment.get(ValueLayout.JAVA_BYTE, offset);
            segment.set(ValueLayout.JAVA_BYTE, offset, old);
            byte back = view.get(ValueLayout.JAVA_BYTE, offset);
            if (seen != (byte) ~old || back != old) {
                throw journal.violation(Rule.NATIVE, operation + " returned a segment for " + layout
                        + " whose byte at offset " + offset + " is not at address 0x"
                        + Long.toHexString(segment.address() + offset) + ": written there " + (byte) ~old
                        + ", the segment read " + seen + "; expected its bytes where its address says");
            }
        }
    }

    /** Forgets a block that is about to be freed or reallocated. */
    synchronized void remove(Block block) {
        if (blocks.remove(block.id) != null && block.layout.size() > 0) {
            ranges.remove(Range.closedOpen(block.segment.address(), block.segment.address() + block.layout.size()));
        }
    }

    /** Re-records a block that is still live after a failed reallocation. */
    synchronized void restore(Block block) {
        blocks.put(block.id, block);
        if (block.layout.size() > 0) {
            ranges.put(Range.closedOpen(block.segment.address(), block.segment.address() + block.layout.size()), block);
        }
    }

    synchronized List<Block> all() {
        return new ArrayList<>(blocks.values());
    }

    synchronized int size() {
        return blocks.size();
    }

    /** Writes the block's pattern over all of it. */
    static void fill(Block block) {
        Patterns.write(block.segment, block.seed, 0);
    }

    /**
     * Checks that the block still holds its pattern.
     *
     * @throws ContractViolation naming {@code rule} if it does not
     */
    void verify(Block block, Rule rule, String when) {
        verifyPrefix(block, block.layout.size(), rule, when);
    }

    void verifyPrefix(Block block, long length, Rule rule, String when) {
        long at = Patterns.mismatch(block.segment, block.seed, length);
        if (at >= 0) {
            throw journal.violation(rule, block + " changed " + when + ": byte at offset " + at + " is "
                    + block.segment.get(ValueLayout.JAVA_BYTE, at) + ", expected "
                    + Patterns.expected(block.seed, at) + " (checked " + length + " bytes)");
        }
    }

    void verifyAll(String when) {
        for (Block block : all()) {
            verify(block, Rule.INTEGRITY, when);
        }
    }
}
