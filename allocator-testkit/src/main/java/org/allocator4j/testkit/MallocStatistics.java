package org.allocator4j.testkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * The native memory the process holds, byte-exact where the source allows: glibc's {@code mallinfo2()}
 * (bytes in use by {@code malloc}, in its arenas and in its own mappings) plus the JDK's count of direct
 * memory (which {@code Arena} allocations are charged to). What the accounting check of allocators that
 * take no parent watches. Not the allocator-api's libc binding: that one is the {@code system}
 * allocator's, package-private, and has no statistics call.
 *
 * @implNote The one downcall here is under a {@code SAFETY} comment; without glibc (no {@code mallinfo2})
 * the statistics are unavailable and the check that needs them is skipped with that reason.
 */
final class MallocStatistics {
    /** {@code struct mallinfo2}: ten {@code size_t} fields. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final long HBLKHD = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd"));
    private static final long UORDBLKS = MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks"));
    private static final MethodHandle MALLINFO = link().orElse(null);
    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);

    private MallocStatistics() {
    }

    @SuppressWarnings("restricted")
    private static Optional<MethodHandle> link() {
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        // SAFETY: mallinfo2 (glibc >= 2.33) takes no argument and returns the struct by value into memory
        // the downcall allocates from the SegmentAllocator it is given; it keeps no reference to it.
        return linker.defaultLookup().find("mallinfo2")
                .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(MALLINFO2)));
    }

    static boolean isAvailable() {
        return MALLINFO != null;
    }

    /** {@return the bytes in use by malloc plus the JDK's direct memory} */
    static long bytesInUse() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            long direct = DIRECT == null ? 0 : DIRECT.getMemoryUsed();
            return info.get(ValueLayout.JAVA_LONG, UORDBLKS) + info.get(ValueLayout.JAVA_LONG, HBLKHD) + direct;
        } catch (Throwable e) {
            throw new IllegalStateException("mallinfo2() failed", e);
        }
    }
}
