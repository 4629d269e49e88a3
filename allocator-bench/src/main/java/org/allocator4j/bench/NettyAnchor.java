package org.allocator4j.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Netty's pooled direct buffers as a benchmark anchor: {@link PooledByteBufAllocator#DEFAULT}, with its
 * defaults (thread caches up to 32 KiB; on JDK 25, Netty 4.2 runs without {@code sun.misc.Unsafe} unless
 * told otherwise, so {@link #unsafe()} is reported beside the numbers).
 */
final class NettyAnchor {
    private static final PooledByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    private NettyAnchor() {
    }

    static ByteBuf allocate(int size) {
        return POOLED.directBuffer(size, size);
    }

    static void free(ByteBuf buffer) {
        buffer.release();
    }

    /** {@return whether Netty uses {@code sun.misc.Unsafe} in this JVM} */
    static boolean unsafe() {
        return io.netty.util.internal.PlatformDependent.hasUnsafe();
    }
}
