package org.allocator4j.compare;

/**
 * The exit statuses of {@code compare}, as {@code --help} and the README list them. When several apply, the
 * status is the first of this list's order that does, after 0: a bad command line or trace (nothing was
 * replayed), an I/O failure, running out of memory, a replay that was not intact, a worker that did not
 * finish.
 */
public enum ExitStatus {
    /** Every replay finished and was intact. */
    OK(0, "every replay finished intact (no corruption, no contract error)"),
    /** A replay found corruption, broke the allocator contract, or aborted. */
    NOT_INTACT(1, "a replay found corruption, broke the allocator contract, or aborted"),
    /** The command line or the trace cannot be used. */
    USAGE(2, "bad command line, or a trace that cannot be used: missing, a directory, malformed, truncated, "
            + "or without events"),
    /** A file could not be read or written. */
    IO(3, "a file could not be read or written (the trace, a temporary file, a report)"),
    /** The parent or a worker ran out of memory. */
    OUT_OF_MEMORY(4, "out of memory, in compare or in a worker (raise it with -J-Xmx..., or see the JVM options)"),
    /** A worker was killed after the timeout, crashed, or exited without a result. */
    WORKER_FAILED(5, "a worker timed out (killed after --timeout), crashed, or exited without a result; its row "
            + "says so and the other strategies still ran");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** {@return the process exit code} */
    public int code() {
        return code;
    }

    /** {@return what the status means, as {@code --help} says it} */
    public String meaning() {
        return meaning;
    }

    /** {@return the more severe of this status and {@code other}, by the order of this list (OK least)} */
    public ExitStatus worst(ExitStatus other) {
        if (this == OK) {
            return other;
        }
        if (other == OK) {
            return this;
        }
        return severity() <= other.severity() ? this : other;
    }

    /** {@return 0 for the most severe: USAGE, IO, OUT_OF_MEMORY, NOT_INTACT, WORKER_FAILED} */
    private int severity() {
        return switch (this) {
            case USAGE -> 0;
            case IO -> 1;
            case OUT_OF_MEMORY -> 2;
            case NOT_INTACT -> 3;
            case WORKER_FAILED -> 4;
            case OK -> 5;
        };
    }

    /**
     * {@return the status of exit code {@code code}}
     *
     * @throws IllegalArgumentException if no status has that code
     */
    public static ExitStatus ofCode(int code) {
        for (ExitStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("code=" + code + " is no exit status of compare; expected one of 0-5");
    }

    /** {@return every status as lines {@code "  CODE  MEANING"}, for the help text} */
    public static String table() {
        StringBuilder text = new StringBuilder();
        for (ExitStatus status : values()) {
            text.append(String.format("  %d  %s%n", status.code, status.meaning));
        }
        text.append("  130  interrupted (Ctrl-C, SIGINT): the workers are killed and the temporary files removed")
                .append(System.lineSeparator());
        return text.toString();
    }
}
