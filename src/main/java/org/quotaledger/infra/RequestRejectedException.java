package org.quotaledger.infra;

import java.util.List;

/**
 * A request the ledger refuses, with the HTTP status and the fields that explain why. Feature
 * packages extend it, so the one error handler needs to know none of them.
 */
public abstract class RequestRejectedException extends RuntimeException {

    public record FieldProblem(String field, String message) {
    }

    private final int status;
    private final transient List<FieldProblem> problems;

    protected RequestRejectedException(int status, String message, List<FieldProblem> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** A stable code clients match on (the problem's {@code reason}), or null when the status says it all. */
    public String reason() {
        return null;
    }
}
