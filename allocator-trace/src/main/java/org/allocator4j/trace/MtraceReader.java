package org.allocator4j.trace;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
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
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16]; // read ahead from in
    private int bufferStart;
    private int bufferEnd;
    private byte[] line = new byte[256];             // the current line, without its line end
    private int lineLength;
    private final BlockTable liveIds = new BlockTable(); // address of a live block -> its id
    private final Map<String, Long> notes = new LinkedHashMap<>();
    private long nextId;
    private long lineNumber;
    private long offset; // uncompressed bytes of the lines read
    private String text; // the current line as text, made only when a line is malformed or unusual
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
        this.in = in;
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
        int lastKind = kind; // the event before, for the message if the stream ends here: no garbage per event
        long lastId = id, lastSize = size, lastCount = count;
        try {
            while (readLine()) {
                emitted = false;
                lineNumber++;
                if (!acceptFast()) {
                    // ISO-8859-1: any byte sequence decodes, so a binary file gets a format error, not a charset one
                    accept(new String(line, 0, lineLength, StandardCharsets.ISO_8859_1));
                }
                if (emitted) {
                    count++;
                    return true;
                }
            }
        } catch (EOFException | ZipException e) {
            throw TraceFormatException.truncated(source, lineNumber + 1, offset, count, lastCount == 0 ? "none"
                    : TraceEvents.describe(lastKind, lastId, lastSize, lastKind == ALLOC ? MALLOC_ALIGNMENT : 1), e);
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
        in.close();
    }

    /** Reads the next line into {@link #line}, without its {@code \n} or {@code \r\n}; {@return false at the end} */
    private boolean readLine() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (bufferStart == bufferEnd) {
                int n = in.read(buffer);
                if (n < 0) {
                    return any;
                }
                bufferStart = 0;
                bufferEnd = n;
            }
            any = true;
            int i = bufferStart;
            while (i < bufferEnd && buffer[i] != '\n') {
                i++;
            }
            int n = i - bufferStart;
            if (lineLength + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
            }
            System.arraycopy(buffer, bufferStart, line, lineLength, n);
            lineLength += n;
            offset += n;
            if (i < bufferEnd) { // the line end
                bufferStart = i + 1;
                offset++;
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            bufferStart = bufferEnd;
        }
    }

    /**
     * Reads the common lines ({@code + 0xADDR 0xSIZE}, {@code - 0xADDR}, {@code < 0xOLD}, {@code > 0xNEW 0xSIZE},
     * after an optional caller) from the bytes, making no object; {@return false} for any other line (blank,
     * {@code =}, a failed call, or a malformed one), which {@link #accept(String)} then reads as text
     */
    private boolean acceptFast() {
        int start = 0;
        if (lineLength >= 2 && line[0] == '@' && line[1] == ' ') {
            int close = -1;
            for (int i = lineLength - 2; i >= 0; i--) {
                if (line[i] == ']' && line[i + 1] == ' ') {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                return false;
            }
            start = close + 2;
        }
        if (lineLength - start < 3 || line[start + 1] != ' ') {
            return false;
        }
        byte op = line[start];
        if (pendingOld >= 0 && op != '>') {
            return false;
        }
        int first = start + 2;
        int space = indexOf(' ', first);
        switch (op) {
            case '+', '>' -> {
                if (space < 0 || indexOf(' ', space + 1) >= 0) {
                    return false;
                }
                long address = hex(first, space, true);
                long size = hex(space + 1, lineLength, false);
                if (address <= 0 || size < 0) {
                    return false; // null, unusual or malformed: the slow path says which
                }
                if (op == '+') {
                    long id = nextId++;
                    reuse(liveIds.put(address, id));
                    emit(ALLOC, id, size);
                } else {
                    if (pendingOld < 0) {
                        return false;
                    }
                    long id = liveIds.remove(pendingOld);
                    pendingOld = -1;
                    long blockId = id != BlockTable.ABSENT ? id : nextId++;
                    reuse(liveIds.put(address, blockId));
                    emit(REALLOC, blockId, size);
                }
                return true;
            }
            case '-', '<' -> {
                if (space >= 0) {
                    return false;
                }
                long address = hex(first, lineLength, true);
                if (address <= 0) {
                    return false;
                }
                if (op == '-') {
                    long id = liveIds.remove(address);
                    emit(FREE, id != BlockTable.ABSENT ? id : nextId++, 0);
                } else {
                    pendingOld = address;
                    pendingLine = lineNumber;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private int indexOf(char c, int from) {
        for (int i = from; i < lineLength; i++) {
            if (line[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@return the value of {@code 0x...} (or a size's bare {@code 0}) in {@code line[from, to)}}, or -1 if it
     * is not one, has more than 16 digits, or is 2^63 or more (an address that large goes the slow way too)
     */
    private long hex(int from, int to, boolean address) {
        if (!address && to - from == 1 && line[from] == '0') {
            return 0;
        }
        if (to - from < 3 || to - from > 18 || line[from] != '0' || line[from + 1] != 'x') {
            return -1;
        }
        long value = 0;
        for (int i = from + 2; i < to; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
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
        this.text = text;
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
                long id = liveIds.remove(address(f[1]));
                // An unknown address gets an id never allocated: the replay counts it as an unknown free.
                emit(FREE, id != BlockTable.ABSENT ? id : nextId++, 0);
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
                long id = liveIds.remove(pendingOld);
                pendingOld = -1;
                // An unknown old block gets a fresh id: the replay counts the realloc and allocates it.
                long blockId = id != BlockTable.ABSENT ? id : nextId++;
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
    private void reuse(long previous) {
        if (previous != BlockTable.ABSENT) {
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
        return TraceFormatException.atLine(source, lineNumber, expected, text);
    }
}
