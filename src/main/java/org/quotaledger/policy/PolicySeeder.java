package org.quotaledger.policy;

import java.time.Clock;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.policy.PolicyMessages.EnactPolicy;
import org.quotaledger.policy.PolicyMessages.EnactmentReceipt;
import org.quotaledger.policy.PolicyMessages.ListPolicies;
import org.quotaledger.policy.PolicyMessages.PolicyList;
import org.quotaledger.policy.rules.PolicyDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Enacts the seed policy at first start, when no policy is enacted yet. Two nodes starting at
 * once both try; the policy book takes the same document twice as one enactment.
 */
@Component
class PolicySeeder {

    private static final Logger log = LoggerFactory.getLogger(PolicySeeder.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final PolicyLibrary library;
    private final Clock clock;
    private final String seedPolicyId;

    PolicySeeder(CommandGateway commands, QueryGateway queries, PolicyLibrary library, Clock clock,
                 @Value("${quota-ledger.seed-policy:ai-diffusion-2025-01}") String seedPolicyId) {
        this.commands = commands;
        this.queries = queries;
        this.library = library;
        this.clock = clock;
        this.seedPolicyId = seedPolicyId;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        if (seedPolicyId.isBlank()
                || !queries.query(new ListPolicies(), PolicyList.class).join().policies().isEmpty()) {
            return;
        }
        PolicyDocument seed = library.find(seedPolicyId).orElseThrow(() ->
                new IllegalStateException("seed policy " + seedPolicyId + " is not in classpath:policies/"));
        EnactmentReceipt receipt = commands.sendAndWait(EnactPolicy.of(seed, clock.instant()));
        if (!receipt.alreadyEnacted()) {
            log.info("Enacted seed policy {} as policy #{}", receipt.policyId(), receipt.sequence());
        }
    }
}
