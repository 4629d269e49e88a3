package org.allocator4j.compare;

import java.io.Console;
import java.io.PrintStream;

/**
 * What {@code compare} is doing, on {@code System.err}: on a terminal, a progress bar redrawn in place for
 * long reads, and a line per strategy, {@code "strategy k of n: NAME (ETA m:ss)"}; elsewhere (a pipe, a file,
 * a build log) only the lines per strategy, without carriage returns. Not thread-safe: one task at a time.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;     // null: silent
    private final boolean terminal;    // bars redrawn in place
    private String label = "";
    private long total;
    private long lastDraw;
    private boolean drawn;
    private int steps;
    private int step;
    private long stepsStart;

    private Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** {@return progress on {@code System.err}: bars and lines on a terminal, lines alone elsewhere} */
    public static Progress forConsole() {
        Console console = System.console();
        return new Progress(System.err, console != null && console.isTerminal());
    }

    /** {@return progress as lines on {@code out}, as when not on a terminal} */
    public static Progress lines(PrintStream out) {
        return new Progress(out, false);
    }

    /** {@return a progress that never prints} */
    public static Progress silent() {
        return new Progress(null, false);
    }

    /** Starts a task of {@code total} units. */
    public void start(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.lastDraw = 0;
    }

    /** Reports {@code done} units; redraws at most ten times a second, on a terminal only. Cheap when it does not draw. */
    public void update(long done) {
        if (out == null || !terminal) {
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

    /** Starts {@code count} steps, one per strategy. */
    public void steps(int count) {
        steps = count;
        step = 0;
        stepsStart = System.nanoTime();
    }

    /** Starts the next step, the replay of {@code name}: prints {@code "strategy k of n: NAME"} and the ETA. */
    public void step(String name) {
        step++;
        if (out == null) {
            return;
        }
        finish();
        StringBuilder line = new StringBuilder("compare: strategy ").append(step).append(" of ").append(steps)
                .append(": ").append(name);
        if (step > 1) {
            long elapsed = System.nanoTime() - stepsStart;
            long left = elapsed / (step - 1) * (steps - step + 1);
            line.append(" (ETA ").append(clock(left)).append(", ").append(clock(elapsed)).append(" so far)");
        }
        out.println(line);
        out.flush();
    }

    /** Ends the steps: prints how long they took. */
    public void stepsDone() {
        if (out != null && steps > 0) {
            out.println("compare: " + steps + " of " + steps + " strategies done in " + clock(System.nanoTime() - stepsStart));
            out.flush();
        }
    }

    /** {@return {@code nanos} as {@code m:ss}, or {@code h:mm:ss}} */
    static String clock(long nanos) {
        long s = Math.max(0, nanos) / 1_000_000_000L;
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
