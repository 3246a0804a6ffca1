package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quotaledger.policy.rules.TestPolicies.JAN_13_2025;
import static org.quotaledger.policy.rules.TestPolicies.capped;

import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.policy.rules.CountryLedger;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.PolicyDocument;
import org.quotaledger.policy.rules.Treatment;
import org.quotaledger.support.LedgerJson;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The records themselves read the forms stored before reservations existed, with the strict
 * settings the ledger reads with (application.yml): a Balance without reservedTpp/availableTpp, a
 * PolicyApplied without holds, a policy document without maxReservationDays. Stored events go
 * through the upcasters first ({@link ReservationEraUpcaster}); this is for what the upcasters do
 * not see: snapshots of a country's ledger taken before reservations.
 */
class StoredEventFormsTest {

    private static final ObjectMapper STRICT = LedgerJson.STRICT;

    @Test
    void aBalanceStoredBeforeReservationsReadsAsNothingReserved() throws Exception {
        String stored = """
                {"policyId":"p1","tier":"TIER_2","treatment":"CAPPED","capTpp":10000,"consumedTpp":3000,
                 "remainingTpp":7000,"utilization":0.300000,"status":"OPEN"}""";

        Balance balance = STRICT.readValue(stored, Balance.class);

        assertThat(balance.reservedTpp()).isZero();
        assertThat(balance.availableTpp()).isEqualTo(7_000);
        assertThat(STRICT.readValue("""
                {"policyId":"p2","tier":"ALL","treatment":"UNRESTRICTED","capTpp":null,"consumedTpp":0,
                 "remainingTpp":null,"utilization":null,"status":"UNRESTRICTED"}""", Balance.class))
                .isEqualTo(new Balance("p2", "ALL", Treatment.UNRESTRICTED, null, 0, null, null, BalanceStatus.UNRESTRICTED));
    }

    @Test
    void aPolicyAppliedStoredBeforeReservationsReadsAsHoldingNothing() throws Exception {
        CountryRules rules = capped("p1", JAN_13_2025, 10_000, null).rulesFor("AE");
        Balance after = CountryLedger.fresh(List.of(rules)).balance(LocalDate.of(2025, 7, 1));
        QuotaEvents.PolicyApplied current = new QuotaEvents.PolicyApplied("AE", rules, after, after, Map.of("p1", 3_000L),
                2, List.of(), List.of(), Instant.parse("2025-07-01T12:00:00Z"));
        ObjectNode old = STRICT.valueToTree(current);
        old.remove("holds");
        ((ObjectNode) old.get("rules")).remove("maxReservationDays");
        for (String balance : List.of("balanceBefore", "balanceAfter")) {
            ((ObjectNode) old.get(balance)).remove(List.of("reservedTpp", "availableTpp"));
        }

        QuotaEvents.PolicyApplied read = STRICT.treeToValue(old, QuotaEvents.PolicyApplied.class);

        assertThat(read).usingRecursiveComparison()
                .withComparatorForType(java.math.BigDecimal::compareTo, java.math.BigDecimal.class).isEqualTo(current);
        assertThat(read.holds()).isEmpty();
        assertThat(read.rules().reservationDaysLimit()).isEqualTo(CountryRules.DEFAULT_MAX_RESERVATION_DAYS);
    }

    @Test
    void aPolicyEnactedBeforeReservationLimitsReadsWithTheDefault() throws Exception {
        PolicyDocument document;
        try (InputStream in = getClass().getResourceAsStream("/policies/ai-diffusion-2025-01.json")) {
            document = STRICT.readValue(in, PolicyDocument.class);
        }
        ObjectNode stored = STRICT.createObjectNode();
        stored.set("document", STRICT.valueToTree(document));
        ((ObjectNode) stored.get("document")).remove("maxReservationDays");
        stored.put("sequence", 1);
        stored.put("enactedAt", "2025-01-15T00:00:00Z");

        PolicyEnacted enacted = STRICT.treeToValue(stored, PolicyEnacted.class);

        assertThat(enacted.document().maxReservationDays()).isNull();
        assertThat(enacted.document().rulesFor("AE").reservationDaysLimit())
                .isEqualTo(CountryRules.DEFAULT_MAX_RESERVATION_DAYS);
    }
}
