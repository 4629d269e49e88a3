package org.allocator4j.testkit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Deliberately broken allocators, each breaking one rule of the contract, all memory-safe: they hand out
 * only memory they own (from {@code system}), so a broken rule fails a check instead of crashing the JVM.
 * {@link ZooTest} asserts that the contract catches each by the rule it breaks.
 */
final class Zoo {
    private static final GlobalAllocator LIBC = GlobalAllocator.system();

    private Zoo() {
    }

    /** Forwards to {@code system}; the animals override what they break. */
    abstract static class Forwarding implements GlobalAllocator {
        @Override
        public MemorySegment allocate(Layout layout) {
            return LIBC.allocate(layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            LIBC.deallocate(block, layout);
        }

        @Override
        public String name() {
            return "zoo-" + getClass().getSimpleName();
        }
    }

    /** EXACT_SIZE: returns one byte less than asked. */
    static final class OffByOne extends Forwarding {
        @Override
        public MemorySegment allocate(Layout layout) {
            MemorySegment block = LIBC.allocate(layout);
            return layout.size() == 0 ? block : block.asSlice(0, layout.size() - 1);
        }
    }

    /** ALIGNMENT: honours alignments up to 16 only; larger ones come back 16 bytes off. */
    static final class Misaligned extends Displaced {
        @Override
        long displacement(Layout layout) {
            return layout.alignment() > 16 ? 16 : 0;
        }
    }

    /** A bump allocator over one chunk of {@code system} memory; frees nothing until closed. */
    abstract static class Bump implements GlobalAllocator, AutoCloseable {
        static final long CHUNK = 256L << 20;
        final MemorySegment chunk = LIBC.allocate(Layout.of(CHUNK, 4096));
        long offset;

        /** {@return the address after {@code offset} aligned for {@code layout}} */
        long aligned(long at, Layout layout) {
            return at + Math.floorMod(-(chunk.address() + at), layout.alignment());
        }

        MemorySegment carve(long start, Layout layout) {
            if (start + layout.size() > CHUNK) {
                throw new AllocationException(name(), layout, "chunk exhausted");
            }
            return chunk.asSlice(start, layout.size());
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            // frees nothing before close
        }

        @Override
        public void close() {
            LIBC.deallocate(chunk, Layout.of(CHUNK, 4096));
        }

        @Override
        public String name() {
            return "zoo-" + getClass().getSimpleName();
        }
    }

    /** NO_OVERLAP: advances its bump pointer by half of each block. */
    static final class Overlapping extends Bump {
        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            long start = aligned(offset, layout);
            MemorySegment block = carve(start, layout);
            offset = start + (layout.size() + 1) / 2;
            return block;
        }
    }

    /** INTEGRITY: writes a "header" byte into the last byte of the block allocated before. */
    static final class Scribbling extends Bump {
        private long lastEnd = -1;

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            if (lastEnd > 0) {
                chunk.set(ValueLayout.JAVA_BYTE, lastEnd - 1, (byte) 0xEE);
            }
            long start = aligned(offset, layout);
            MemorySegment block = carve(start, layout);
            offset = start + layout.size();
            lastEnd = offset;
            return block;
        }
    }

    /** THREAD_SAFETY (seen as NO_OVERLAP): a bump pointer read and written without synchronization. */
    static final class Racy extends Bump {
        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            long start = aligned(offset, layout);
            Thread.yield(); // widens the window between the read and the write of the bump pointer
            MemorySegment block = carve(start, layout);
            offset = start + layout.size();
            return block;
        }
    }

    /** REALLOC_CONTENTS: reallocation copies one byte less than it must. */
    static final class ReallocDropsLastByte extends Forwarding {
        @Override
        public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            MemorySegment moved = allocate(Layout.of(newSize, layout.alignment()));
            long keep = Math.min(layout.size(), newSize) - 1;
            if (keep > 0) {
                MemorySegment.copy(block, 0, moved, 0, keep);
            }
            deallocate(block, layout);
            return moved;
        }
    }

    /** REALLOC_FAILURE: clears the old block before it finds that the new one cannot be had. */
    static final class ReallocFailureClobbers extends Forwarding {
        @Override
        public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            block.fill((byte) 0); // "prepares" the move too early
            return super.reallocate(block, layout, newSize);
        }
    }

    /** Keeps every freed block, as the caller handed it back, for reuse; gives them all back on close. */
    abstract static class KeepsFreed extends Forwarding implements AutoCloseable {
        private final Map<Layout, Deque<MemorySegment>> cache = new HashMap<>();

        /** {@return a kept block of {@code layout}, or null} */
        synchronized MemorySegment kept(Layout layout) {
            Deque<MemorySegment> kept = cache.get(layout);
            return kept != null && !kept.isEmpty() ? kept.pop() : null;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() > 0) {
                cache.computeIfAbsent(layout, l -> new ArrayDeque<>()).push(block);
            }
        }

        @Override
        public synchronized void close() {
            cache.forEach((layout, blocks) -> blocks.forEach(block -> LIBC.deallocate(block, layout)));
            cache.clear();
        }
    }

    /** ZEROED: keeps freed blocks and hands them out again from allocateZeroed without zeroing. */
    static final class ZeroedNotZeroedAfterReuse extends KeepsFreed {
        @Override
        public MemorySegment allocateZeroed(Layout layout) {
            MemorySegment kept = kept(layout);
            return kept != null ? kept : super.allocateZeroed(layout);
        }
    }

    /** REUSE_BOUNDED: never frees anything. */
    static final class Leaking extends Forwarding {
        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            // leaks
        }
    }

    /** FAILURE_EXCEPTION: reports an impossible request with OutOfMemoryError instead of AllocationException. */
    static final class WrongExceptionType extends Forwarding {
        @Override
        public MemorySegment allocate(Layout layout) {
            try {
                return LIBC.allocate(layout);
            } catch (AllocationException e) {
                throw new OutOfMemoryError("no native memory for " + layout);
            }
        }

        @Override
        public MemorySegment allocateZeroed(Layout layout) {
            return allocate(layout).fill((byte) 0);
        }
    }

    /** ZERO_SIZE: a zero-size request returns a zero-length segment at a real address, not dangling. */
    static final class ZeroSizeNotDangling extends Forwarding {
        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return LIBC.allocate(Layout.of(1, layout.alignment())).asSlice(0, 0);
            }
            return LIBC.allocate(layout);
        }
    }

    /** MISUSE_DETECTED: a "checked mode" that catches foreign blocks but lets a double free pass silently. */
    static final class CheckedMissesDoubleFree extends Forwarding {
        private final Set<Long> live = new HashSet<>();
        private final Set<Long> freed = new HashSet<>();

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            MemorySegment block = LIBC.allocate(layout);
            if (layout.size() > 0) {
                live.add(block.address());
                freed.remove(block.address());
            }
            return block;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            if (live.remove(block.address())) {
                freed.add(block.address());
                LIBC.deallocate(block, layout);
            } else if (!freed.contains(block.address())) {
                throw new AllocatorMisuseException(Kind.FOREIGN_BLOCK, name(), "0x" + Long.toHexString(block.address()));
            }
            // a second free of a freed block: missed
        }
    }

    /**
     * MISUSE_DETECTED: a "checked mode" that poisons and quarantines freed blocks (so a write after free
     * lands in memory it still holds) but never looks at them again: a use after free passes silently.
     */
    static final class CheckedMissesUseAfterFree extends Forwarding implements AutoCloseable {
        private record Freed(MemorySegment block, Layout layout) {
        }

        private final ArrayDeque<Freed> quarantine = new ArrayDeque<>();

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            block.fill((byte) 0xCD);
            quarantine.addLast(new Freed(block, layout));
            if (quarantine.size() > 8) {
                Freed old = quarantine.removeFirst();
                LIBC.deallocate(old.block(), old.layout()); // released unchecked: missed
            }
        }

        @Override
        public synchronized void close() {
            while (!quarantine.isEmpty()) {
                Freed old = quarantine.removeFirst();
                LIBC.deallocate(old.block(), old.layout());
            }
        }
    }

    /**
     * FAILURE_INJECTION: takes a header block and a data block from its parent for each allocation, and
     * leaks the header when the parent fails the data block.
     */
    static final class LeaksOnParentFailure implements GlobalAllocator {
        private static final Layout HEADER = Layout.of(32, 8);
        private final GlobalAllocator parent;
        private final Map<Long, MemorySegment> headers = new HashMap<>();

        LeaksOnParentFailure(GlobalAllocator parent) {
            this.parent = parent;
        }

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            MemorySegment header = parent.allocate(HEADER);
            MemorySegment block = parent.allocate(layout); // on failure, header is lost
            headers.put(block.address(), header);
            return block;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            parent.deallocate(headers.remove(block.address()), HEADER);
            parent.deallocate(block, layout);
        }

        @Override
        public String name() {
            return "zoo-LeaksOnParentFailure";
        }
    }

    // ---- one or more per capability the contract gained: declared ranges, size and alignment together,
    // accounting, exhaustion, re-derived segments, misuse after other operations, default methods,
    // high contention, native memory

    /**
     * Hands some layouts out displaced from an aligned block of {@code system}, by {@link #displacement}
     * bytes; the animals say which and by how much.
     */
    abstract static class Displaced extends Forwarding {
        private final Map<Long, MemorySegment> bases = new HashMap<>();

        /** {@return how far to displace a block of {@code layout} from its alignment, or 0 for none} */
        abstract long displacement(Layout layout);

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            long displacement = layout.size() == 0 ? 0 : displacement(layout);
            if (displacement == 0) {
                return LIBC.allocate(layout);
            }
            MemorySegment base = LIBC.allocate(Layout.of(layout.size() + displacement, layout.alignment()));
            MemorySegment block = base.asSlice(displacement, layout.size());
            bases.put(block.address(), base);
            return block;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            MemorySegment base = bases.remove(block.address());
            if (base == null) {
                LIBC.deallocate(block, layout);
            } else {
                LIBC.deallocate(base, Layout.of(base.byteSize(), layout.alignment()));
            }
        }
    }

    /** ALIGNMENT (declared ranges): alignments above 64 KiB come back only 64 KiB-aligned. */
    static final class BigAlignmentsMisaligned extends Displaced {
        @Override
        long displacement(Layout layout) {
            return layout.alignment() > 1L << 16 ? 1L << 16 : 0; // 64 KiB past an aligned address
        }
    }

    /**
     * ALIGNMENT (size and alignment together): Debian 12's mimalloc 2.0.9 {@code mi_malloc_aligned}
     * returns 128-aligned blocks for power-of-two sizes 256..1024 at alignments of 256 and more.
     */
    static final class MimallocPowerOfTwoMisaligned extends Displaced {
        @Override
        long displacement(Layout layout) {
            long size = layout.size();
            boolean broken = size >= 256 && size <= 1024 && Long.bitCount(size) == 1 && layout.alignment() >= 256;
            return broken ? 128 : 0; // 128-aligned, never 256-aligned
        }
    }

    /** ACCOUNTING: loses every 32nd free (the block is never given back). */
    static final class LosesEvery32ndFree extends Forwarding {
        private final java.util.concurrent.atomic.AtomicLong frees = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() > 0 && frees.incrementAndGet() % 32 == 0) {
                return; // lost
            }
            LIBC.deallocate(block, layout);
        }
    }

    /** Forwards to a parent; the animals over a parent override what they break. */
    abstract static class OverParent implements GlobalAllocator {
        final GlobalAllocator parent;

        OverParent(GlobalAllocator parent) {
            this.parent = parent;
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            try {
                return parent.allocate(layout);
            } catch (AllocationException e) {
                throw new AllocationException(name(), layout, e.getMessage(), e);
            }
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() > 0) {
                parent.deallocate(block, layout);
            }
        }

        @Override
        public String name() {
            return "zoo-" + getClass().getSimpleName();
        }
    }

    /** ACCOUNTING: keeps 16 freed blocks per layout for reuse; once that cache is full, drops the rest. */
    static final class CacheLeaksWhenFull extends OverParent implements AutoCloseable {
        private final Map<Layout, Deque<Long>> cache = new HashMap<>();

        CacheLeaksWhenFull(GlobalAllocator parent) {
            super(parent);
        }

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            Deque<Long> kept = cache.get(layout);
            if (layout.size() > 0 && kept != null && !kept.isEmpty()) {
                return NativeAccess.at(kept.pop(), layout.size()); // a kept block of exactly that size
            }
            return super.allocate(layout);
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            Deque<Long> kept = cache.computeIfAbsent(layout, l -> new ArrayDeque<>());
            if (kept.size() < 16) {
                kept.push(block.address());
            } // else: dropped, neither kept nor given back
        }

        @Override
        public synchronized void close() {
            cache.forEach((layout, kept) -> kept.forEach(address -> parent.deallocate(MemorySegment.ofAddress(address), layout)));
            cache.clear();
        }
    }

    /** ACCOUNTING: a reallocate takes a 64-byte record from the parent first, and leaks it when the move fails. */
    static final class LeaksRecordOnFailedRealloc extends OverParent {
        private static final Layout RECORD = Layout.of(64, 8);

        LeaksRecordOnFailedRealloc(GlobalAllocator parent) {
            super(parent);
        }

        @Override
        public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            MemorySegment record = parent.allocate(RECORD);
            MemorySegment moved = super.reallocate(block, layout, newSize); // on failure: record lost
            parent.deallocate(record, RECORD);
            return moved;
        }
    }

    /** EXHAUSTION: once its parent failed, it believes itself exhausted for good. */
    static final class StaysExhausted extends OverParent {
        private volatile boolean exhausted;

        StaysExhausted(GlobalAllocator parent) {
            super(parent);
        }

        @Override
        public MemorySegment allocate(Layout layout) {
            if (exhausted && layout.size() >= 4096) {
                throw new AllocationException(name(), layout, "exhausted");
            }
            try {
                return super.allocate(layout);
            } catch (AllocationException e) {
                exhausted = layout.size() < 1L << 40; // a genuine shortage, not an impossible request
                throw e;
            }
        }
    }

    /** EXACT_SIZE (re-derived segments): keeps the segment a caller handed back and returns that very object. */
    static final class KeepsHandedBackSegment extends KeepsFreed {
        @Override
        public MemorySegment allocate(Layout layout) {
            MemorySegment kept = kept(layout);
            return kept != null ? kept : super.allocate(layout);
        }
    }

    /** MISUSE_DETECTED (misuse after other operations): a checked mode that remembers only the latest free. */
    static final class CheckedRemembersLatestFreeOnly extends Forwarding {
        private final Set<Long> live = new HashSet<>();
        private long latestFreed;

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            MemorySegment block = LIBC.allocate(layout);
            live.add(block.address());
            return block;
        }

        @Override
        public synchronized MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
            check(block, layout);
            return super.reallocate(block, layout, newSize);
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            check(block, layout);
            live.remove(block.address());
            latestFreed = block.address();
            LIBC.deallocate(block, layout);
        }

        private void check(MemorySegment block, Layout layout) {
            if (layout.size() > 0 && block.address() == latestFreed) {
                throw new AllocatorMisuseException(Kind.DOUBLE_FREE, name(), "0x" + Long.toHexString(block.address()));
            }
            if (layout.size() > 0 && !live.contains(block.address())) {
                // not the latest free: it cannot tell a double free from a foreign block
                throw new AllocatorMisuseException(Kind.FOREIGN_BLOCK, name(), "0x" + Long.toHexString(block.address()));
            }
        }
    }

    /** ALIGNMENT (default methods): an overridden openArena() that ignores the requested alignment. */
    static final class ArenaIgnoresAlignment extends Forwarding {
        @Override
        public java.lang.foreign.Arena openArena() {
            java.lang.foreign.Arena jdk = java.lang.foreign.Arena.ofConfined();
            return new java.lang.foreign.Arena() {
                @Override
                public MemorySegment allocate(long byteSize, long byteAlignment) {
                    return jdk.allocate(byteSize + 8, 1).asSlice(Math.min(8, byteSize), byteSize); // "aligned enough"
                }

                @Override
                public MemorySegment.Scope scope() {
                    return jdk.scope();
                }

                @Override
                public void close() {
                    jdk.close();
                }
            };
        }
    }

    /**
     * THREAD_SAFETY (high contention): per-size free lists whose top index is read and written without
     * synchronization, so two threads popping at once get the same block. Memory-safe: every block lives
     * in a bump chunk that is given back only on close.
     */
    static final class RacyFreeList extends Bump {
        private static final int KEPT = 4096;
        private final java.util.concurrent.atomic.AtomicLong bump = new java.util.concurrent.atomic.AtomicLong();
        private final Map<Long, long[]> stacks = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, int[]> tops = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() == 0) {
                return layout.dangling();
            }
            long[] stack = stacks.computeIfAbsent(layout.size() * 64 + layout.alignment(), k -> new long[KEPT]);
            int[] top = tops.computeIfAbsent(layout.size() * 64 + layout.alignment(), k -> new int[1]);
            int t = top[0]; // racy read
            if (t > 0) {
                long address = stack[t - 1];
                top[0] = t - 1; // racy write: another thread may have popped the same entry
                return chunk.asSlice(address - chunk.address(), layout.size());
            }
            long start;
            long end;
            do {
                start = bump.get();
                end = aligned(start, layout) + layout.size();
            } while (!bump.compareAndSet(start, end));
            return carve(aligned(start, layout), layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            if (layout.size() == 0) {
                return;
            }
            long[] stack = stacks.computeIfAbsent(layout.size() * 64 + layout.alignment(), k -> new long[KEPT]);
            int[] top = tops.computeIfAbsent(layout.size() * 64 + layout.alignment(), k -> new int[1]);
            int t = top[0];
            if (t < KEPT) {
                stack[t] = block.address();
                top[0] = t + 1;
            }
        }
    }

    /** NATIVE: small blocks come from the Java heap (MemorySegment.ofArray), not native memory. */
    static final class HeapSegments extends Forwarding {
        @Override
        public MemorySegment allocate(Layout layout) {
            if (layout.size() > 0 && layout.size() <= 64 && layout.alignment() <= 8) {
                return MemorySegment.ofArray(new long[(int) (layout.size() + 7) / 8]).asSlice(0, layout.size());
            }
            return LIBC.allocate(layout);
        }

        @Override
        public void deallocate(MemorySegment block, Layout layout) {
            if (block.isNative()) {
                LIBC.deallocate(block, layout);
            }
        }
    }
}
