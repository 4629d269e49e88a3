package org.allocator4j.bench.compare.parser.mtrace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.allocator4j.bench.compare.Trace;
import org.allocator4j.bench.compare.TraceFormatException;

/**
 * Reads a glibc {@code mtrace} file: what {@code libc_malloc_debug.so} writes to {@code $MALLOC_TRACE}
 * between a program's {@code mtrace()} and {@code muntrace()} calls (glibc's {@code malloc/mtrace-impl.c};
 * {@code mtrace(1)} is its Perl reader).
 *
 * <p>Each line is an optional caller, {@code "@ FILE:(SYMBOL+0xOFF)[0xADDR] "} or {@code "@ [0xADDR] "},
 * then one operation:
 * <pre>
 *   = Start | = End               trace start and end (ignored)
 *   + 0xADDR 0xSIZE               malloc, calloc, memalign... returned ADDR for SIZE bytes
 *   + (nil) 0xSIZE                an allocation that failed (counted, not an event)
 *   - 0xADDR                      free(ADDR), or realloc(ADDR, 0)
 *   &lt; 0xOLD  then  &gt; 0xNEW 0xSIZE  realloc(OLD, SIZE) returned NEW (always two consecutive lines)
 *   ! 0xOLD 0xSIZE                a realloc that failed (counted, not an event)
 * </pre>
 * Sizes are printed with {@code %#lx}, so a zero size is {@code 0}, not {@code 0x0}.
 *
 * <p>Addresses become block ids. mtrace does not log alignments: every block gets glibc's
 * {@code MALLOC_ALIGNMENT} of 16. A trace usually starts after the program has allocated for a while, so it
 * frees blocks it never saw allocated: such a free becomes a free of an id that was never allocated, and a
 * realloc of such a block a realloc of an unknown id; the replay counts both. An allocation at an address
 * that is still live (a free the trace missed) becomes a free of the old block, then the allocation, and is
 * noted in {@link Trace#notes()}.
 */
public final class MtraceReader {
    /** The alignment given to every block: glibc's MALLOC_ALIGNMENT on 64-bit platforms. */
    public static final long MALLOC_ALIGNMENT = 16;

    static final String NOTE_FAILED_MALLOC = "failed allocations (+ (nil)), skipped";
    static final String NOTE_FAILED_REALLOC = "failed reallocs (!), skipped";
    static final String NOTE_ADDRESS_REUSED = "allocations at a live address (free missed), old block freed";

    private final String source;
    private final Trace.Builder trace;
    private final Map<Long, Long> liveIds = new HashMap<>();
    private long nextId;
    private long lineNumber;
    private String line;
    private long pendingOld = -1;
    private long pendingLine;

    private MtraceReader(String source) {
        this.source = source;
        this.trace = Trace.builder(source);
    }

    /**
     * {@return the trace in {@code in}}; {@code in} is not closed
     *
     * @param source the trace's name, for messages and {@link Trace#name()}
     * @param in     the text of an mtrace file
     * @throws TraceFormatException if a line is malformed; the message has its number and what was expected
     * @throws IOException          if reading fails
     */
    public static Trace read(String source, InputStream in) throws IOException {
        MtraceReader reader = new MtraceReader(source);
        // ISO-8859-1: any byte sequence decodes, so a binary file gets a format error, not a charset one.
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        for (String l; (l = lines.readLine()) != null; ) {
            reader.accept(l);
        }
        return reader.finish();
    }

    private void accept(String text) {
        lineNumber++;
        line = text;
        if (text.isBlank() || text.startsWith("= ")) {
            return;
        }
        String op = text;
        if (text.startsWith("@ ")) {
            int close = text.lastIndexOf("] ");
            if (close < 0) {
                throw error("a caller '@ [0xADDR] ' or '@ FILE:(SYM+0xOFF)[0xADDR] ' followed by an operation");
            }
            op = text.substring(close + 2);
        }
        String[] f = op.split(" ", -1);
        String kind = f[0];
        if (pendingOld >= 0 && !kind.equals(">")) {
            throw error("'> 0xNEW 0xSIZE' completing the realloc '< ...' of line " + pendingLine);
        }
        switch (kind) {
            case "+" -> {
                expectFields(f, 3, "'+ 0xADDR 0xSIZE'");
                if (f[1].equals("(nil)")) {
                    size(f[2]);
                    trace.note(NOTE_FAILED_MALLOC);
                    return;
                }
                long address = address(f[1]);
                long size = size(f[2]);
                long id = newBlock(address);
                trace.alloc(id, size, MALLOC_ALIGNMENT);
            }
            case "-" -> {
                expectFields(f, 2, "'- 0xADDR'");
                Long id = liveIds.remove(address(f[1]));
                // An unknown address gets an id never allocated: the replay counts it as an unknown free.
                trace.free(id != null ? id : nextId++);
            }
            case "<" -> {
                expectFields(f, 2, "'< 0xOLD'");
                pendingOld = address(f[1]);
                pendingLine = lineNumber;
            }
            case ">" -> {
                expectFields(f, 3, "'> 0xNEW 0xSIZE'");
                if (pendingOld < 0) {
                    throw error("'< 0xOLD' on the line before '> 0xNEW 0xSIZE'");
                }
                long address = address(f[1]);
                long size = size(f[2]);
                Long id = liveIds.remove(pendingOld);
                pendingOld = -1;
                // An unknown old block gets a fresh id: the replay counts the realloc and allocates it.
                long blockId = id != null ? id : nextId++;
                Long previous = liveIds.put(address, blockId);
                if (previous != null) {
                    trace.note(NOTE_ADDRESS_REUSED).free(previous);
                }
                trace.realloc(blockId, size);
            }
            case "!" -> {
                expectFields(f, 3, "'! 0xOLD 0xSIZE'");
                address(f[1]);
                size(f[2]);
                trace.note(NOTE_FAILED_REALLOC);
            }
            default -> throw error("an mtrace operation '+', '-', '<', '>', '!' or '=' (optionally after "
                    + "'@ caller '), not '" + kind + "'");
        }
    }

    private Trace finish() {
        if (pendingOld >= 0) {
            throw TraceFormatException.atLine(source, lineNumber + 1, "'> 0xNEW 0xSIZE' completing the realloc '< ...' of line "
                    + pendingLine, "end of file");
        }
        return trace.build();
    }

    private long newBlock(long address) {
        long id = nextId++;
        Long previous = liveIds.put(address, id);
        if (previous != null) {
            trace.note(NOTE_ADDRESS_REUSED).free(previous);
        }
        return id;
    }

    private void expectFields(String[] fields, int count, String expected) {
        if (fields.length != count) {
            throw error(expected + " (" + count + " fields separated by single spaces)");
        }
    }

    private long address(String text) {
        if (!text.startsWith("0x") || text.length() < 3) {
            throw error("an address in hexadecimal '0x...' (e.g. 0x55d0c2a4b2a0), not '" + text + "'");
        }
        long value = hex(text.substring(2), text, "address");
        if (value == 0) {
            throw error("a non-null address, not '" + text + "'");
        }
        return value;
    }

    private long size(String text) {
        if (text.equals("0")) {
            return 0; // %#lx prints zero without the 0x prefix
        }
        if (!text.startsWith("0x") || text.length() < 3) {
            throw error("a size in hexadecimal '0x...' or '0', not '" + text + "'");
        }
        long value = hex(text.substring(2), text, "size");
        if (value < 0) {
            throw error("a size below 2^63, not '" + text + "'");
        }
        return value;
    }

    private long hex(String digits, String text, String what) {
        if (digits.length() > 16) {
            throw error("a 64-bit " + what + ", not '" + text + "'");
        }
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw error("a hexadecimal " + what + ", not '" + text + "'");
        }
    }

    private TraceFormatException error(String expected) {
        return TraceFormatException.atLine(source, lineNumber, expected, line);
    }
}
