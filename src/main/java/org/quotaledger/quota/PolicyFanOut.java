package org.quotaledger.quota;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends an enacted policy to every country. It runs in a streaming processor whose token moves
 * only when the whole fan-out is done, so a restart midway sends it again; a country that
 * already applied the policy ignores the repeat. No country is skipped, none applied twice.
 */
@Component
@ProcessingGroup("policy-fanout")
class PolicyFanOut {

    private static final Logger log = LoggerFactory.getLogger(PolicyFanOut.class);

    private final CommandGateway commands;

    PolicyFanOut(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(PolicyEnacted event) {
        PolicyDocument policy = event.document();
        long started = System.nanoTime();
        for (String country : IsoCountries.all()) {
            commands.sendAndWait(new ApplyPolicy(country, policy.rulesFor(country), event.enactedAt()));
        }
        log.info("Policy {} applied to {} countries in {} ms", policy.id(), IsoCountries.all().size(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
