package org.allocator4j.testkit;

import java.util.List;
import java.util.Objects;

/**
 * A broken rule of the allocator contract. The message names the {@link Rule}, the allocator, the
 * layout(s) involved, and the operations that led there (after jqwik's shrinking, the smallest sequence
 * found): {@code rule=NO_OVERLAP (no two live blocks overlap) broken by allocator 'x': <detail>}, then one
 * line per operation.
 */
public final class ContractViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** @serial the broken rule */
    private final Rule rule;

    ContractViolation(Rule rule, String allocatorName, String detail, List<String> operations, Throwable cause) {
        super(message(rule, allocatorName, detail, operations), cause);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** A violation with more context appended to its message, e.g. jqwik's shrunk action chain. */
    ContractViolation(ContractViolation violation, String context, Throwable cause) {
        super(violation.getMessage() + "\n  " + context.replace("\n", "\n  "), cause);
        this.rule = violation.rule;
        setStackTrace(violation.getStackTrace());
    }

    /** {@return the broken rule} */
    public Rule rule() {
        return rule;
    }

    private static String message(Rule rule, String allocatorName, String detail, List<String> operations) {
        StringBuilder message = new StringBuilder()
                .append("rule=").append(rule).append(" (").append(rule.description()).append(") broken by allocator '")
                .append(allocatorName).append("': ").append(detail);
        if (!operations.isEmpty()) {
            message.append("\n  operations (").append(operations.size()).append("):");
            for (String operation : operations) {
                message.append("\n    ").append(operation);
            }
        }
        return message.toString();
    }
}
