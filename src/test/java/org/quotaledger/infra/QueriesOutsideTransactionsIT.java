package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.common.Registration;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.TestUsers;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The query bus runs its handlers without a transaction of its own (AxonConfiguration.queryBus):
 * each read is its SELECTs alone, not BEGIN, SELECT, COMMIT. Axon's auto-configured bus would open
 * one around every query.
 */
class QueriesOutsideTransactionsIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();

    @Test
    void aQueryHandlerRunsOutsideATransactionAndTheProjectionsStillAnswer() {
        AtomicReference<Boolean> inTransaction = new AtomicReference<>();
        Registration probe = service.ledger().bean(QueryBus.class).subscribe("transaction-probe", String.class, query -> {
            inTransaction.set(TransactionSynchronizationManager.isActualTransactionActive());
            return "answered";
        });
        try {
            String answer = service.ledger().bean(QueryGateway.class)
                    .query("transaction-probe", "probe", String.class).join();
            assertThat(answer).isEqualTo("answered");
            assertThat(inTransaction.get()).as("a transaction was active in the query handler").isFalse();
        } finally {
            probe.cancel();
        }

        // The projections' own handlers, one SELECT (a balance) and two (the policies), answer as before.
        var balance = service.ledger().as(TestUsers.REGULATOR).get("/api/v1/balances/OM");
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.body().path("country").asText()).isEqualTo("OM");
        var policies = service.ledger().as(TestUsers.REGULATOR).get("/api/v1/policies");
        assertThat(policies.status()).isEqualTo(200);
        assertThat(policies.raw()).contains("ai-diffusion-2025-01");
    }
}
