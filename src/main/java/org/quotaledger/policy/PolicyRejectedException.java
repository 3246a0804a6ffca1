package org.quotaledger.policy;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;
import org.quotaledger.policy.rules.PolicyProblem;

/** A policy document that cannot be enacted, with every reason why. */
public class PolicyRejectedException extends RequestRejectedException {

    public PolicyRejectedException(List<PolicyProblem> problems) {
        super(400, "the policy document has " + problems.size() + " problem(s); nothing was enacted",
                problems.stream().map(p -> new FieldProblem(p.field(), p.message())).toList());
    }
}
