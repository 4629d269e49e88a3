package org.allocator4j.nativebridge;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Deterministic, compressible test data: words of a small vocabulary picked by a fixed LCG. */
final class TestData {
    private static final byte[][] WORDS;

    static {
        String[] words = ("allocator block bridge context free malloc native pointer realloc size slab stub "
                + "table thread tracking upcall zstd sqlite lua budget leak report page index row value")
                .split(" ");
        WORDS = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            WORDS[i] = (words[i] + ' ').getBytes(StandardCharsets.US_ASCII);
        }
    }

    private TestData() {
    }

    /** {@return {@code size} bytes of text in {@code arena}} */
    static MemorySegment text(Arena arena, long size) {
        MemorySegment data = arena.allocate(size);
        long state = 42;
        long at = 0;
        while (at < size) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            byte[] word = WORDS[(int) ((state >>> 33) % WORDS.length)];
            int n = (int) Math.min(word.length, size - at);
            MemorySegment.copy(word, 0, data, ValueLayout.JAVA_BYTE, at, n);
            at += n;
        }
        return data;
    }
}
