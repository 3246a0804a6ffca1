package org.quotaledger.policy.rules;

/** One thing wrong with a policy document, naming the field as a JSON path. */
public record PolicyProblem(String field, String message) {
}
