package org.quotaledger.infra;

import java.util.List;

/** Input that passed JSON parsing but not the ledger's checks: a 400 naming each field. */
public class InvalidRequestException extends RequestRejectedException {

    public InvalidRequestException(List<FieldProblem> problems) {
        super(400, problems.size() + " field(s) are invalid", problems);
    }
}
