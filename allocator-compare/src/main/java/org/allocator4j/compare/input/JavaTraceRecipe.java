package org.allocator4j.compare.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.zip.GZIPInputStream;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.tracking.Tracking;
import org.allocator4j.tracking.TrackingAllocator;

/**
 * The recipe of the bundled Java trace ({@code traces/java-offheap-index.a4jt.gz}): a small Java program that
 * keeps its data off the heap, run through a tracking allocator over {@code system} that records the trace
 * ({@code Tracking.builder(system).recordTo(file)}, the tracking module's recording option).
 *
 * <p>The program indexes a text log off-heap: it reads the first {@value #LINES} lines of the bundled
 * mtrace file, copies each line into a block of its own (alignment 1), keeps the newest {@value #WINDOW}
 * lines (freeing the oldest), counts each address it sees in an open-addressing hash table of
 * {@code long} pairs that grows by reallocation (alignment 8), and flushes every 10,000 lines through a
 * 64 KiB page-aligned batch buffer. Run it with {@code traces/record-java.sh}.
 */
public final class JavaTraceRecipe {
    public static final int LINES = 120_000;
    public static final int WINDOW = 4096;

    private JavaTraceRecipe() {
    }

    /** {@code JavaTraceRecipe INPUT.mtrace.gz OUTPUT.a4jt.gz}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JavaTraceRecipe INPUT.mtrace.gz OUTPUT.a4jt.gz");
            System.exit(2);
        }
        record(Path.of(args[0]), Path.of(args[1]));
        System.out.println("wrote " + args[1]);
    }

    /** Runs the program on {@code mtrace}'s lines and records its trace to {@code output} with the tracking allocator. */
    public static void record(Path mtrace, Path output) throws IOException {
        try (TrackingAllocator allocator = Tracking.builder(GlobalAllocator.system()).recordTo(output)
                .sampleEvery(0).jmx(false).build();
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     new GZIPInputStream(Files.newInputStream(mtrace)), StandardCharsets.ISO_8859_1))) {
            run(allocator, in);
        }
    }

    private record Line(MemorySegment segment, long size) {
    }

    private static void run(GlobalAllocator allocator, BufferedReader in) throws IOException {
        ArrayDeque<Line> window = new ArrayDeque<>();
        long capacity = 1024; // hash table slots of (key, count)
        Layout tableLayout = Layout.of(capacity * 16, 8);
        MemorySegment table = allocator.allocateZeroed(tableLayout);
        long used = 0;
        Layout batchLayout = Layout.of(64 * 1024, 4096);
        String text;
        for (int n = 0; n < LINES && (text = in.readLine()) != null; n++) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            MemorySegment line = allocator.allocate(Layout.of(bytes.length, 1));
            MemorySegment.copy(bytes, 0, line, ValueLayout.JAVA_BYTE, 0, bytes.length);
            window.addLast(new Line(line, bytes.length));
            if (window.size() > WINDOW) {
                Line old = window.removeFirst();
                allocator.deallocate(old.segment(), Layout.of(old.size(), 1));
            }
            int at = text.indexOf(" 0x");
            if (at >= 0) {
                int end = text.indexOf(' ', at + 3);
                long key = Long.parseUnsignedLong(text.substring(at + 3, end < 0 ? text.length() : end), 16) | 1;
                if (used * 4 >= capacity * 3) { // grow at 3/4 full: rehash into a zeroed table twice the size
                    MemorySegment bigger = allocator.allocateZeroed(Layout.of(capacity * 32, 8));
                    for (long slot = 0; slot < capacity; slot++) {
                        long k = table.get(ValueLayout.JAVA_LONG, slot * 16);
                        if (k != 0) {
                            insert(bigger, capacity * 2, k, table.get(ValueLayout.JAVA_LONG, slot * 16 + 8));
                        }
                    }
                    allocator.deallocate(table, Layout.of(capacity * 16, 8));
                    table = bigger;
                    capacity *= 2;
                }
                if (insert(table, capacity, key, 1)) {
                    used++;
                }
            }
            if (n % 10_000 == 9_999) {
                MemorySegment batch = allocator.allocate(batchLayout);
                long offset = 0;
                for (Line l : window) {
                    long copy = Math.min(l.size(), batch.byteSize() - offset);
                    MemorySegment.copy(l.segment(), 0, batch, offset, copy);
                    offset += copy;
                }
                // the batch grows once by reallocation, as a buffer that turned out too small does
                batch = allocator.reallocate(batch, batchLayout, 96 * 1024);
                allocator.deallocate(batch, Layout.of(96 * 1024, batchLayout.alignment()));
            }
        }
        for (Line l : window) {
            allocator.deallocate(l.segment(), Layout.of(l.size(), 1));
        }
        allocator.deallocate(table, Layout.of(capacity * 16, 8));
    }

    /** {@return whether {@code key} was new}; adds {@code count} to its count (linear probing) */
    private static boolean insert(MemorySegment table, long capacity, long key, long count) {
        long slot = (key * 0x9E3779B97F4A7C15L >>> 17) % capacity;
        while (true) {
            long k = table.get(ValueLayout.JAVA_LONG, slot * 16);
            if (k == key || k == 0) {
                table.set(ValueLayout.JAVA_LONG, slot * 16, key);
                table.set(ValueLayout.JAVA_LONG, slot * 16 + 8, table.get(ValueLayout.JAVA_LONG, slot * 16 + 8) + count);
                return k == 0;
            }
            slot = (slot + 1) % capacity;
        }
    }
}
