package org.quotaledger.quota;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.quota.QuotaCommands.ApplyPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;

/**
 * Sends an enacted policy to every country. It runs in a streaming processor whose token moves
 * only when the whole fan-out is done, so a restart midway sends it again; a country that
 * already applied the policy ignores the repeat. No country is skipped, none applied twice.
 *
 * <p>Each country commits on its own. Sent from the handler's thread, the commands would join the
 * processor's unit of work and its one database transaction (seen on PostgreSQL: every country's
 * {@code PolicyApplied} with the same {@code xmin}), so each country's aggregate lock would be held
 * until the last country was done, stalling every exporter for the whole fan-out, and every
 * country's replay held in memory until that one commit. So they are sent from a thread of their own,
 * carrying the enactment's correlation data (who enacted it) that Axon would otherwise have copied.
 */
@Component
@ProcessingGroup("policy-fanout")
class PolicyFanOut {

    private static final Logger log = LoggerFactory.getLogger(PolicyFanOut.class);

    private final CommandGateway commands;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "policy-fanout-commands");
        thread.setDaemon(true);
        return thread;
    });

    PolicyFanOut(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(PolicyEnacted event) throws InterruptedException {
        PolicyDocument policy = event.document();
        MetaData enactment = CurrentUnitOfWork.correlationData();
        long started = System.nanoTime();
        for (String country : IsoCountries.all()) {
            CommandMessage<ApplyPolicy> apply = GenericCommandMessage.<ApplyPolicy>asCommandMessage(
                    new ApplyPolicy(country, policy.rulesFor(country), event.enactedAt())).andMetaData(enactment);
            sendAlone(apply);
        }
        log.info("Policy {} applied to {} countries in {} ms", policy.id(), IsoCountries.all().size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Sends the command outside this thread's unit of work and waits for its outcome; a failure is rethrown. */
    private void sendAlone(CommandMessage<ApplyPolicy> command) throws InterruptedException {
        Future<Object> sent = sender.submit(() -> commands.sendAndWait(command));
        try {
            sent.get();
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("applying " + command.getPayload().rules().policyId() + " to "
                    + command.getPayload().country() + " failed", e.getCause());
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdownNow();
    }
}
