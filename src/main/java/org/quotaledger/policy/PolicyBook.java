package org.quotaledger.policy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.quotaledger.policy.PolicyMessages.EnactPolicy;
import org.quotaledger.policy.PolicyMessages.EnactmentReceipt;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.PolicyProblem;
import org.quotaledger.policy.rules.PolicyValidator;

/**
 * The book of enacted policies. It validates a document against the rules engine's validator and
 * the current policy, and records the enactment; the countries then replay under it.
 */
@Aggregate
class PolicyBook {

    @AggregateIdentifier
    private String bookId;
    private final Map<String, PolicyDocument> enacted = new HashMap<>();
    private final Map<String, Integer> sequences = new HashMap<>();
    private LocalDate currentEffectiveFrom;

    PolicyBook() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    EnactmentReceipt handle(EnactPolicy command) {
        PolicyDocument document = command.document();
        PolicyDocument earlier = document == null ? null : enacted.get(document.id());
        if (earlier != null && earlier.equals(document)) {
            return new EnactmentReceipt(document.id(), sequences.get(document.id()), null, true);
        }
        List<PolicyProblem> problems = new ArrayList<>(PolicyValidator.validate(document, currentEffectiveFrom));
        if (earlier != null) {
            problems.add(0, new PolicyProblem("id", "policy " + document.id()
                    + " is already enacted with different content; enact a revision under a new id"));
        }
        if (!problems.isEmpty()) {
            throw new PolicyRejectedException(problems);
        }
        int sequence = enacted.size() + 1;
        apply(new PolicyEnacted(document, sequence, command.requestedAt()));
        return new EnactmentReceipt(document.id(), sequence, command.requestedAt(), false);
    }

    @EventSourcingHandler
    void on(PolicyEnacted event) {
        bookId = PolicyMessages.BOOK_ID;
        enacted.put(event.document().id(), event.document());
        sequences.put(event.document().id(), event.sequence());
        currentEffectiveFrom = event.document().effectiveFrom();
    }
}
