package org.quotaledger.policy;

import java.time.Instant;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.quotaledger.policy.rules.PolicyDocument;

/** The policy book's contract: what a regulator asks, what the ledger records, what it answers. */
public final class PolicyMessages {

    private PolicyMessages() {
    }

    /** There is one policy book; every enactment goes through it, so enactments are ordered. */
    public static final String BOOK_ID = "policy-book";

    public record EnactPolicy(@TargetAggregateIdentifier String bookId, PolicyDocument document, Instant requestedAt) {

        public static EnactPolicy of(PolicyDocument document, Instant requestedAt) {
            return new EnactPolicy(BOOK_ID, document, requestedAt);
        }
    }

    /** A policy took its place in the timeline. {@code sequence} counts enactments from 1. */
    @Revision("2")
    public record PolicyEnacted(PolicyDocument document, int sequence, Instant enactedAt) {
    }

    public record EnactmentReceipt(String policyId, int sequence, Instant enactedAt, boolean alreadyEnacted) {
    }

    public record ListPolicies() {
    }

    public record FindPolicy(String policyId) {
    }

    public record PolicySummary(String id, String title, java.time.LocalDate effectiveFrom, int sequence,
                                Instant enactedAt, boolean current) {
    }

    /** Answers {@link FindPolicy}; the document is absent when no such policy is enacted. */
    public record PolicyFound(PolicyDocument document) {
    }

    public record PolicyList(List<PolicySummary> policies) {
    }
}
