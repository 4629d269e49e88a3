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
    static final class Misaligned extends Forwarding {
        private final Map<Long, MemorySegment> bases = new HashMap<>();

        @Override
        public synchronized MemorySegment allocate(Layout layout) {
            if (layout.size() == 0 || layout.alignment() <= 16) {
                return LIBC.allocate(layout);
            }
            Layout wide = Layout.of(layout.size() + layout.alignment() + 16, 16);
            MemorySegment base = LIBC.allocate(wide);
            long offset = Math.floorMod(-base.address(), layout.alignment()) + 16;
            MemorySegment block = base.asSlice(offset, layout.size());
            bases.put(block.address(), base);
            return block;
        }

        @Override
        public synchronized void deallocate(MemorySegment block, Layout layout) {
            MemorySegment base = bases.remove(block.address());
            if (base == null) {
                LIBC.deallocate(block, layout);
            } else {
                LIBC.deallocate(base, Layout.of(base.byteSize(), 16));
            }
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

    /** ZEROED: keeps freed blocks and hands them out again from allocateZeroed without zeroing. */
    static final class ZeroedNotZeroedAfterReuse extends Forwarding implements AutoCloseable {
        private final Map<Layout, Deque<MemorySegment>> cache = new HashMap<>();

        @Override
        public synchronized MemorySegment allocateZeroed(Layout layout) {
            Deque<MemorySegment> cached = cache.get(layout);
            if (cached != null && !cached.isEmpty()) {
                return cached.pop();
            }
            return super.allocateZeroed(layout);
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
}
