package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger.Response;
import org.quotaledger.support.TestUsers;

class RateLimitAndHeadersIT {

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass("--quota-ledger.security.rate-limit.capacity=5",
                "--quota-ledger.security.rate-limit.per-second=1");

    @Test
    void aPrincipalOverItsRateLimitGets429WithRetryAfterAndOthersAreUnaffected() {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 8; i++) {
            last = service.ledger().as(TestUsers.AUDITOR).get("/api/v1/balances/AE");
            statuses.add(last.status());
        }

        assertThat(statuses).startsWith(200, 200, 200).contains(429);
        assertThat(last.status()).isEqualTo(429);
        assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 5);
        assertThat(last.contentType()).startsWith("application/problem+json");
        assertThat(service.ledger().as(TestUsers.REGULATOR).get("/api/v1/balances/AE").status()).isEqualTo(200);
    }

    @Test
    void responsesCarryTheSecurityHeaders() {
        Response response = service.ledger().as(TestUsers.ADMIN).get("/api/v1/policies");

        assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'").contains("default-src 'self'");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("X-Request-Id")).isNotBlank();
    }
}
