package org.quotaledger.policy;

import java.net.URI;
import java.time.Clock;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.policy.PolicyMessages.EnactPolicy;
import org.quotaledger.policy.PolicyMessages.EnactmentReceipt;
import org.quotaledger.policy.PolicyMessages.FindPolicy;
import org.quotaledger.policy.PolicyMessages.ListPolicies;
import org.quotaledger.policy.PolicyMessages.PolicyFound;
import org.quotaledger.policy.PolicyMessages.PolicyList;
import org.quotaledger.policy.rules.PolicyDocument;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Regulators enact policies; everyone reads them. */
@RestController
@RequestMapping("/api/v1/policies")
class PolicyController {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Clock clock;

    PolicyController(CommandGateway commands, QueryGateway queries, Clock clock) {
        this.commands = commands;
        this.queries = queries;
        this.clock = clock;
    }

    /** Enacts a policy. Every country then replays its history under it (see the impact). */
    @PostMapping
    ResponseEntity<EnactmentReceipt> enact(@RequestBody PolicyDocument document) {
        EnactmentReceipt receipt = commands.sendAndWait(EnactPolicy.of(document, clock.instant()));
        URI location = URI.create("/api/v1/policies/" + receipt.policyId());
        return receipt.alreadyEnacted() ? ResponseEntity.ok().location(location).body(receipt)
                : ResponseEntity.created(location).body(receipt);
    }

    @GetMapping
    PolicyList list() {
        return queries.query(new ListPolicies(), PolicyList.class).join();
    }

    /** The document exactly as {@link #enact} accepts it. */
    @GetMapping("/{policyId}")
    PolicyDocument get(@PathVariable String policyId) {
        PolicyDocument document = queries.query(new FindPolicy(policyId), PolicyFound.class).join().document();
        if (document == null) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND,
                    "no policy " + policyId + " is enacted");
        }
        return document;
    }
}
