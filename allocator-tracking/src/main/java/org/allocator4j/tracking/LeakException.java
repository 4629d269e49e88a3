package org.allocator4j.tracking;

/**
 * Thrown when blocks are live that should not be: a {@link BudgetScope} closed with live blocks, or a test
 * that {@link LeakCheckExtension} finds leaving blocks live. The message is the report.
 */
public class LeakException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @serial the leaked blocks */
    private final transient LeakReport report;

    /**
     * Creates an exception with a headline and the report.
     *
     * @param headline what leaked, e.g. {@code "scope 'request' closed with live blocks"}
     * @param report   the live blocks
     */
    public LeakException(String headline, LeakReport report) {
        super(headline + ": " + report.format());
        this.report = report;
    }

    /** {@return the leaked blocks} */
    public LeakReport report() {
        return report;
    }
}
