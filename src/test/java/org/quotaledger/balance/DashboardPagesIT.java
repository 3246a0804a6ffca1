package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quotaledger.balance.HistoryMessages.AlertList;
import org.quotaledger.balance.HistoryMessages.BalanceHistory;
import org.quotaledger.balance.HistoryMessages.BalancePoint;
import org.quotaledger.balance.HistoryMessages.Cause;
import org.quotaledger.balance.HistoryMessages.FindAlerts;
import org.quotaledger.balance.HistoryMessages.FindBalanceHistory;
import org.quotaledger.balance.HistoryMessages.QuotaAlert;
import org.quotaledger.policy.rules.BalanceStatus;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.SignedInBrowser;
import org.quotaledger.support.TestUsers;

/**
 * The dashboard's pages and the projections behind them, on PostgreSQL: Oman gets two shipments,
 * a denial and a void; Poland turns critical. The balance history has a point per change and no
 * more under replays and rebuilds; the country page, the alerts panel and the policies page show
 * what happened, each to whom it may.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPagesIT {

    private static final long H100 = 15_832;
    private static final long OM_CAP = 790_000_000L;
    private static final String JANUARY = "ai-diffusion-2025-01";
    private static final String MAY = "ai-diffusion-rescission-2025-05";

    @RegisterExtension
    static final LedgerOnPostgres.PerClass service = LedgerOnPostgres.perClass();
    private static RunningLedger ledger;

    @BeforeAll
    static void start() {
        ledger = service.ledger();
        assertThat(record("OM-1", "OM", 2000)).isEqualTo(201);
        assertThat(record("OM-2", "OM", 2000)).isEqualTo(201);
        assertThat(record("OM-3", "OM", 60_000)).as("beyond the cap: denied").isEqualTo(422);
        assertThat(ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments/OM-2/void", "{\"reason\":\"entered twice\"}")
                .status()).isEqualTo(200);
        assertThat(record("PL-1", "PL", 45_000)).as("90 % of Poland's cap: critical").isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(history("OM").points()).hasSize(4);
            assertThat(alerts(null)).anyMatch(alert -> alert.country().equals("PL"));
        });
    }

    private static int record(String id, String country, int h100s) {
        return ledger.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"Consignee","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2025-03-01","items":[{"model":"H100","quantity":%d}]}"""
                .formatted(id, id, country, country, h100s)).status();
    }

    private static BalanceHistory history(String country) {
        return ledger.bean(QueryGateway.class).query(new FindBalanceHistory(country, 400), BalanceHistory.class).join();
    }

    private static List<QuotaAlert> alerts(String country) {
        return ledger.bean(QueryGateway.class).query(new FindAlerts(country, 50), AlertList.class).join().alerts();
    }

    @Test
    @Order(1)
    void theHistoryHasOnePointPerBalanceChangeAndNoneForADenial() {
        List<BalancePoint> points = history("OM").points();

        assertThat(points).extracting(BalancePoint::cause)
                .containsExactly(Cause.POLICY, Cause.RECORDED, Cause.RECORDED, Cause.VOIDED);
        assertThat(points).extracting(BalancePoint::consumedTpp)
                .containsExactly(0L, 2000 * H100, 4000 * H100, 2000 * H100);
        assertThat(points).extracting(BalancePoint::causeId).containsExactly(JANUARY, "OM-1", "OM-2", "OM-2");
        assertThat(points.get(3).remainingTpp()).isEqualTo(OM_CAP - 2000 * H100);
        assertThat(points).extracting(BalancePoint::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @Order(2)
    void aQuotaTurningCriticalIsAnAlert() {
        assertThat(alerts("PL")).singleElement().satisfies(alert -> {
            assertThat(alert.from()).isEqualTo(BalanceStatus.OPEN);
            assertThat(alert.to()).isEqualTo(BalanceStatus.CRITICAL);
            assertThat(alert.causedBy()).isEqualTo("PL-1");
            assertThat(alert.remainingTpp()).isNotNull();
        });
        assertThat(alerts("OM")).as("Oman stayed open").isEmpty();
    }

    @Test
    @Order(3)
    void replayingTheSameEventsAddsNothing() {
        BalanceHistory before = history("OM");
        List<QuotaAlert> alertsBefore = alerts("PL");
        String balancesBefore = ledger.as(TestUsers.REGULATOR).get("/api/v1/balances/OM").body().toString()
                + ledger.as(TestUsers.REGULATOR).get("/api/v1/balances/PL").body().toString();
        BalanceHistoryProjection history = ledger.bean(BalanceHistoryProjection.class);
        QuotaAlertProjection alerts = ledger.bean(QuotaAlertProjection.class);
        BalanceProjection balances = ledger.bean(BalanceProjection.class);
        EventStore events = ledger.bean(EventStore.class);

        for (String country : List.of("OM", "PL")) {
            events.readEvents(country).asStream().forEach(event -> replay(event, history, alerts, balances));
        }

        assertThat(history("OM")).isEqualTo(before);
        assertThat(alerts("PL")).isEqualTo(alertsBefore);
        assertThat(ledger.as(TestUsers.REGULATOR).get("/api/v1/balances/OM").body().toString()
                + ledger.as(TestUsers.REGULATOR).get("/api/v1/balances/PL").body().toString())
                .as("balances and their counters, after the same events were handled again").isEqualTo(balancesBefore);
    }

    private static void replay(DomainEventMessage<?> event, BalanceHistoryProjection history, QuotaAlertProjection alerts,
                               BalanceProjection balances) {
        long sequence = event.getSequenceNumber();
        if (event.getPayload() instanceof ShipmentRecorded recorded) {
            history.on(recorded, sequence);
            balances.on(recorded, sequence);
        } else if (event.getPayload() instanceof ShipmentDenied denied) {
            balances.on(denied, sequence);
        } else if (event.getPayload() instanceof ShipmentVoided voided) {
            history.on(voided, sequence);
            balances.on(voided, sequence);
        } else if (event.getPayload() instanceof PolicyApplied applied) {
            history.on(applied, sequence);
            balances.on(applied, sequence);
        } else if (event.getPayload() instanceof QuotaStatusChanged changed) {
            alerts.on(changed, sequence);
        }
    }

    @Test
    @Order(4)
    void theCountryPageShowsTheChartTheShipmentsAndTheTimeline() {
        HttpResponse<String> page = SignedInBrowser.signIn(ledger, TestUsers.REGULATOR).get("/countries/OM");

        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("id=\"chart-consumed\"").containsPattern("class=\"consumed\" d=\"M[0-9.]+ [0-9.]+ L")
                .contains("id=\"chart-cap\"").contains("<desc id=\"chart-desc\">OM: consumed TPP over time, 4 points");
        assertThat(html).contains("OM-1", "OM-2", "OM-3").contains("QUOTA_EXCEEDED").contains("voided: entered twice");
        assertThat(html).contains("data-policy=\"" + JANUARY + "\"").contains("31,664,000 (2,000 H100e)");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(html).doesNotContain("<script>").doesNotContain("onclick=");
    }

    @Test
    @Order(5)
    void anExporterSeesOnlyItsOwnShipmentsOnACountryPage() {
        String other = SignedInBrowser.signIn(ledger, TestUsers.EXPORTER_B).get("/countries/OM").body();
        String own = SignedInBrowser.signIn(ledger, TestUsers.EXPORTER_A).get("/countries/OM").body();

        assertThat(other).contains("Your latest shipments and denials").doesNotContain("OM-1").contains("id=\"chart-consumed\"");
        assertThat(own).contains("OM-1", "OM-3");
    }

    @Test
    @Order(6)
    void anUnknownCountryHasNoPage() {
        assertThat(SignedInBrowser.signIn(ledger, TestUsers.AUDITOR).get("/countries/ZZ").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void theAlertsPanelIsAFragmentForHtmx() {
        HttpResponse<String> panel = SignedInBrowser.signIn(ledger, TestUsers.AUDITOR).get(DashboardController.ALERTS_PATH);

        assertThat(panel.statusCode()).isEqualTo(200);
        assertThat(panel.body()).startsWith("<section id=\"alerts\"").contains("hx-get=\"/dashboard/alerts\"")
                .contains("data-country=\"PL\" data-status=\"critical\"").doesNotContain("<table");
    }

    @Test
    @Order(8)
    void aRebuildWritesTheSameHistoryAndAlertsAgain() {
        BalanceHistory before = history("OM");
        List<QuotaAlert> alertsBefore = alerts(null);

        assertThat(ledger.as(TestUsers.ADMIN).post("/api/v1/admin/projections/balances/rebuild", "").status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ledger.as(TestUsers.ADMIN).get("/api/v1/admin/projections/balances").body()
                    .get("rebuilding").asBoolean()).isFalse();
            assertThat(history("OM")).isEqualTo(before);
            assertThat(alerts(null)).isEqualTo(alertsBefore);
        });
    }

    @Test
    @Order(9)
    void thePoliciesPageShowsWhatARevisionChanged() throws Exception {
        ledger.enactShipped(MAY);

        SignedInBrowser browser = SignedInBrowser.signIn(ledger, TestUsers.REGULATOR);
        String policies = browser.get("/policies").body();
        String may = policies.substring(policies.indexOf("id=\"policy-" + MAY + "\""),
                policies.indexOf("id=\"policy-" + JANUARY + "\""));
        assertThat(may).contains("249 of 249 countries").contains("data-country=\"OM\"")
                .containsPattern("(?s)data-country=\"OM\".*?open</span> →\\s*<span class=\"status unrestricted\"")
                .containsPattern("(?s)data-country=\"OM\".*?790,000,000 → —");
        assertThat(policies.substring(policies.indexOf("id=\"policy-" + JANUARY + "\"")))
                .contains("Ledgers opened").contains("No country's tier, cap or status changed.");

        assertThat(history("OM").points()).last().satisfies(point -> {
            assertThat(point.cause()).isEqualTo(Cause.POLICY);
            assertThat(point.causeId()).isEqualTo(MAY);
            assertThat(point.capTpp()).isNull();
            assertThat(point.status()).isEqualTo(BalanceStatus.UNRESTRICTED);
        });
        assertThat(browser.get("/countries/OM").body()).contains("data-policy=\"" + MAY + "\"");
    }
}
