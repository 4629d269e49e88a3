package org.allocator4j.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Netty's pooled direct buffers as a benchmark anchor, in two configurations: {@code netty} is
 * {@link PooledByteBufAllocator#DEFAULT} as it comes (Netty 4.2 gives thread caches only to its own
 * {@code FastThreadLocalThread}s unless {@code io.netty.allocator.useCacheForAllThreads=true}, so JMH's
 * threads get none); {@code nettyCached} is a pooled allocator with Netty's default sizes and thread
 * caches for all threads (caches up to 32 KiB). On JDK 25, Netty 4.2 runs without
 * {@code sun.misc.Unsafe} by default; {@link #describe()} reports what this JVM does.
 */
final class NettyAnchor {
    private static final PooledByteBufAllocator DEFAULT = PooledByteBufAllocator.DEFAULT;
    private static final PooledByteBufAllocator CACHED = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(), true);

    private NettyAnchor() {
    }

    static ByteBuf allocate(int size) {
        return DEFAULT.directBuffer(size, size);
    }

    static ByteBuf allocateCached(int size) {
        return CACHED.directBuffer(size, size);
    }

    /** {@return how Netty runs here: Unsafe or not, and the default's thread-cache setting} */
    static String describe() {
        return "netty hasUnsafe=" + unsafe() + ", DEFAULT useCacheForAllThreads="
                + PooledByteBufAllocator.defaultUseCacheForAllThreads();
    }

    static void free(ByteBuf buffer) {
        buffer.release();
    }

    /** {@return whether Netty uses {@code sun.misc.Unsafe} in this JVM} */
    static boolean unsafe() {
        return io.netty.util.internal.PlatformDependent.hasUnsafe();
    }
}
