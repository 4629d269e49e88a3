package org.allocator4j.trace;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipException;

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
 * noted in {@link #notes()}.
 *
 * <p>The file is read as a stream, a line at a time: the reader holds the current line and the addresses of the
 * live blocks, nothing else. A malformed line throws {@link TraceFormatException} with its number; a gzip
 * stream that ends early names the line and byte offset reached and the last event read.
 *
 * @implNote Not thread-safe.
 */
public final class MtraceReader implements TraceEvents {
    /** The alignment given to every block: glibc's MALLOC_ALIGNMENT on 64-bit platforms. */
    public static final long MALLOC_ALIGNMENT = 16;

    static final String NOTE_FAILED_MALLOC = "failed allocations (+ (nil)), skipped";
    static final String NOTE_FAILED_REALLOC = "failed reallocs (!), skipped";
    static final String NOTE_ADDRESS_REUSED = "allocations at a live address (free missed), old block freed";

    private final String source;
    private final BufferedReader lines;
    private final Map<Long, Long> liveIds = new HashMap<>();
    private final Map<String, Long> notes = new LinkedHashMap<>();
    private long nextId;
    private long lineNumber;
    private long offset; // uncompressed bytes of the lines read
    private String line;
    private long pendingOld = -1;
    private long pendingLine;
    private boolean ended;
    private long count;
    // the current event
    private int kind;
    private long id;
    private long size;
    // a line's second event (an allocation at a live address: the old block's free comes first)
    private boolean queued;
    private int queuedKind;
    private long queuedId;
    private long queuedSize;
    private boolean emitted; // whether the line being read has set the current event

    /**
     * Starts reading {@code in}, which {@link #close()} closes.
     *
     * @param source the trace's name, for messages
     * @param in     the text of an mtrace file, uncompressed
     */
    public MtraceReader(String source, InputStream in) {
        this.source = Objects.requireNonNull(source, "source");
        // ISO-8859-1: any byte sequence decodes, so a binary file gets a format error, not a charset one.
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
    }

    /**
     * Reads lines up to the next event.
     *
     * @throws TraceFormatException if a line is malformed (the message has its number and what was expected),
     *                              or a compressed stream ends early or is corrupt
     */
    @Override
    public boolean next() throws IOException {
        if (queued) {
            queued = false;
            set(queuedKind, queuedId, queuedSize);
            count++;
            return true;
        }
        if (ended) {
            return false;
        }
        String last = describe();
        try {
            for (String l; (l = lines.readLine()) != null; ) {
                offset += l.length() + 1;
                emitted = false;
                accept(l);
                if (emitted) {
                    count++;
                    return true;
                }
            }
        } catch (EOFException | ZipException e) {
            throw TraceFormatException.truncated(source, lineNumber + 1, offset, count, last, e);
        }
        finish();
        ended = true;
        return false;
    }

    @Override
    public int kind() {
        return kind;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long alignment() {
        return kind == ALLOC ? MALLOC_ALIGNMENT : 1;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, Long> notes() {
        return Collections.unmodifiableMap(notes);
    }

    /** {@return the number of lines read so far} */
    public long lines() {
        return lineNumber;
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
        lines.close();
    }

    private void set(int kind, long id, long size) {
        this.kind = kind;
        this.id = id;
        this.size = size;
    }

    private void emit(int kind, long id, long size) {
        if (!emitted) {
            set(kind, id, size);
            emitted = true;
        } else {
            queuedKind = kind;
            queuedId = id;
            queuedSize = size;
            queued = true;
        }
    }

    private void note(String note) {
        notes.merge(note, 1L, Long::sum);
    }

    private void accept(String text) throws TraceFormatException {
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
                    note(NOTE_FAILED_MALLOC);
                    return;
                }
                long address = address(f[1]);
                long size = size(f[2]);
                long id = nextId++;
                reuse(liveIds.put(address, id));
                emit(ALLOC, id, size);
            }
            case "-" -> {
                expectFields(f, 2, "'- 0xADDR'");
                Long id = liveIds.remove(address(f[1]));
                // An unknown address gets an id never allocated: the replay counts it as an unknown free.
                emit(FREE, id != null ? id : nextId++, 0);
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
                reuse(liveIds.put(address, blockId));
                emit(REALLOC, blockId, size);
            }
            case "!" -> {
                expectFields(f, 3, "'! 0xOLD 0xSIZE'");
                address(f[1]);
                size(f[2]);
                note(NOTE_FAILED_REALLOC);
            }
            default -> throw error("an mtrace operation '+', '-', '<', '>', '!' or '=' (optionally after "
                    + "'@ caller '), not '" + TraceFormatException.echo(kind) + "'");
        }
    }

    /** A block was still live at an address just returned: its free was missed, so it is freed first. */
    private void reuse(Long previous) {
        if (previous != null) {
            note(NOTE_ADDRESS_REUSED);
            emit(FREE, previous, 0);
        }
    }

    private void finish() throws TraceFormatException {
        if (pendingOld >= 0) {
            throw TraceFormatException.atLine(source, lineNumber + 1, "'> 0xNEW 0xSIZE' completing the realloc '< ...' of line "
                    + pendingLine, "end of file");
        }
    }

    private void expectFields(String[] fields, int count, String expected) throws TraceFormatException {
        if (fields.length != count) {
            throw error(expected + " (" + count + " fields separated by single spaces)");
        }
    }

    private long address(String text) throws TraceFormatException {
        if (!text.startsWith("0x") || text.length() < 3) {
            throw error("an address in hexadecimal '0x...' (e.g. 0x55d0c2a4b2a0), not '" + TraceFormatException.echo(text) + "'");
        }
        long value = hex(text.substring(2), text, "address");
        if (value == 0) {
            throw error("a non-null address, not '" + text + "'");
        }
        return value;
    }

    private long size(String text) throws TraceFormatException {
        if (text.equals("0")) {
            return 0; // %#lx prints zero without the 0x prefix
        }
        if (!text.startsWith("0x") || text.length() < 3) {
            throw error("a size in hexadecimal '0x...' or '0', not '" + TraceFormatException.echo(text) + "'");
        }
        long value = hex(text.substring(2), text, "size");
        if (value < 0) {
            throw error("a size below 2^63, not '" + text + "'");
        }
        return value;
    }

    private long hex(String digits, String text, String what) throws TraceFormatException {
        if (digits.length() > 16) {
            throw error("a 64-bit " + what + ", not '" + TraceFormatException.echo(text) + "'");
        }
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw error("a hexadecimal " + what + ", not '" + TraceFormatException.echo(text) + "'");
        }
    }

    private TraceFormatException error(String expected) {
        return TraceFormatException.atLine(source, lineNumber, expected, line);
    }
}
