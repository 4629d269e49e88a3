package org.allocator4j.compare;

import java.io.Console;
import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal, redrawn in place; nothing at all when the output is not a
 * terminal (a pipe, a file, a build log). Not thread-safe: one long task at a time.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private String label = "";
    private long total;
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintStream out) {
        this.out = out;
    }

    /** {@return a bar on {@code System.err} if the console is a terminal, else a silent one} */
    public static Progress forConsole() {
        Console console = System.console();
        return new Progress(console != null && console.isTerminal() ? System.err : null);
    }

    /** {@return a progress that never prints} */
    public static Progress silent() {
        return new Progress(null);
    }

    /** Starts a task of {@code total} units. */
    public void start(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.lastDraw = 0;
    }

    /** Reports {@code done} units; redraws at most ten times a second. Cheap when it does not draw. */
    public void update(long done) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        out.printf("\r%-24.24s [%s%s] %3d%%", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.min(100, done * 100 / total));
        out.flush();
    }

    /** Clears the bar. */
    public void finish() {
        if (out != null && drawn) {
            out.print("\r" + " ".repeat(WIDTH + 33) + "\r");
            out.flush();
            drawn = false;
        }
    }
}
