package org.quotaledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

/**
 * JSON answers go out whole, with their length, not chunked (JsonResponsesSentWhole); one bigger
 * than Tomcat's buffer still arrives complete. The balance stream, which must be flushed event by
 * event, is BalanceStreamIT's.
 */
class JsonResponsesSentWholeIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();

    @Test
    void aJsonAnswerAndAProblemGoOutWithTheirLengthAndABigListStillArrivesWhole() {
        RunningLedger.Response balance = service.ledger().as(TestUsers.REGULATOR).get("/api/v1/balances/OM");
        assertThat(balance.status()).isEqualTo(200);
        assertSentWhole(balance);
        assertThat(balance.body().path("country").asText()).isEqualTo("OM");

        RunningLedger.Response problem = service.ledger().as(TestUsers.REGULATOR).get("/api/v1/balances/XX");
        assertThat(problem.status()).isBetween(400, 499);
        assertThat(problem.contentType()).startsWith("application/problem+json");
        assertSentWhole(problem);

        RunningLedger.Response all = service.ledger().as(TestUsers.REGULATOR).get("/api/v1/balances");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.raw().getBytes(StandardCharsets.UTF_8).length).as("bigger than Tomcat's 8 KiB buffer")
                .isGreaterThan(8192);
        assertThat(all.body().path("balances").size()).isEqualTo(LedgerOnPostgres.COUNTRIES);
    }

    private static void assertSentWhole(RunningLedger.Response response) {
        assertThat(response.header("Transfer-Encoding")).as("Transfer-Encoding").isNull();
        assertThat(response.header("Content-Length")).as("Content-Length")
                .isEqualTo(Integer.toString(response.raw().getBytes(StandardCharsets.UTF_8).length));
    }
}
