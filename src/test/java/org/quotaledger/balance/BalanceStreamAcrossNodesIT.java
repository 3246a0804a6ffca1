package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.quotaledger.balance.BalanceStreamIT.Event;
import org.quotaledger.balance.BalanceStreamIT.Stream;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

/**
 * Two nodes on one PostgreSQL. Node B's balances processor is shut down, so node A projects every
 * event; a subscriber on B still sees the change (LISTEN/NOTIFY), and a subscriber on each node
 * gets each change once, not twice.
 */
class BalanceStreamAcrossNodesIT {

    @Test
    void aShipmentProjectedOnOneNodeReachesTheSubscribersOfEveryNodeOnce() throws Exception {
        try (LedgerOnPostgres service = LedgerOnPostgres.start();
             RunningLedger second = RunningLedger.onPostgres(service.database())) {
            RunningLedger first = service.ledger();
            StreamingEventProcessor onSecond = second.bean(EventProcessingConfiguration.class)
                    .eventProcessor("balances", StreamingEventProcessor.class).orElseThrow();
            onSecond.shutDown();
            StreamingEventProcessor onFirst = first.bean(EventProcessingConfiguration.class)
                    .eventProcessor("balances", StreamingEventProcessor.class).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> onFirst.processingStatus().size() == 2);

            try (Stream onA = BalanceStreamIT.open(first.baseUrl(), TestUsers.AUDITOR, null);
                 Stream onB = BalanceStreamIT.open(second.baseUrl(), TestUsers.REGULATOR, null)) {
                assertThat(onA.next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
                assertThat(onB.next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");

                String body = """
                        {"shipmentId":"NODES-SSE-1","consignee":{"id":"c-1","name":"C","headquartersCountry":"OM"},
                         "destinationCountry":"OM","shipDate":"2025-03-01","items":[{"model":"H100","quantity":2000}]}""";
                assertThat(second.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body).status()).isEqualTo(201);

                Event seenOnB = onB.nextFor("OM", Duration.ofSeconds(10));
                assertThat(seenOnB).as("OM's new balance on node B's stream, projected by node A").isNotNull();
                assertThat(seenOnB.data().path("consumedTpp").asLong()).isEqualTo(2000L * 15_832);
                Event seenOnA = onA.nextFor("OM", Duration.ofSeconds(10));
                assertThat(seenOnA).as("OM's new balance on node A's stream").isNotNull();
                assertThat(seenOnA.data().path("shipmentsRecorded").asLong()).isEqualTo(1);

                assertThat(onA.nextFor("OM", Duration.ofSeconds(3))).as("a second OM update on A").isNull();
                assertThat(onB.nextFor("OM", Duration.ofSeconds(1))).as("a second OM update on B").isNull();
            }
        }
    }
}
