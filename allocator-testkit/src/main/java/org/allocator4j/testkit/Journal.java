package org.allocator4j.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The operations a check performed on one allocator, in order, for the failure message: after jqwik's
 * shrinking, the journal of the reported run is the smallest failing sequence. Thread-safe; keeps the last
 * {@value #KEPT} operations.
 */
final class Journal {
    static final int KEPT = 200;

    private final String allocatorName;
    private final Deque<String> operations = new ArrayDeque<>();
    private long count;

    Journal(String allocatorName) {
        this.allocatorName = allocatorName;
    }

    String allocatorName() {
        return allocatorName;
    }

    synchronized void record(String operation) {
        count++;
        operations.addLast(count + ". " + operation);
        if (operations.size() > KEPT) {
            operations.removeFirst();
        }
    }

    synchronized List<String> operations() {
        List<String> lines = new ArrayList<>(operations.size() + 1);
        if (count > operations.size()) {
            lines.add("... " + (count - operations.size()) + " earlier operations not shown");
        }
        lines.addAll(operations);
        return lines;
    }

    ContractViolation violation(Rule rule, String detail) {
        return violation(rule, detail, null);
    }

    ContractViolation violation(Rule rule, String detail, Throwable cause) {
        return new ContractViolation(rule, allocatorName, detail, operations(), cause);
    }
}
