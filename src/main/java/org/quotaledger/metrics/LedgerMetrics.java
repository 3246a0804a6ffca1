package org.quotaledger.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger's business metrics, counted from the quota events as they are recorded.
 *
 * <p>It runs in the <b>subscribing</b> processor {@value #PROCESSING_GROUP} (application.yml): it
 * sees each event once, on the node that records it, right when it is recorded, and never again.
 * A streaming (pooled) processor would replay history into the counters on a projection rebuild
 * or a token reset, and a fresh node would count the whole event store as if it had just
 * happened. Counters start at zero when the process starts, as Prometheus expects of counters
 * ({@code rate()} and {@code increase()} handle the reset). Each count is taken only after the
 * command's transaction commits, so a rolled-back command counts nothing. A failure here is
 * only logged and never fails the command (see MetricsErrorHandling).
 *
 * <p>The utilization gauges (one per capped country) follow the balance each event carries; at
 * start-up they are seeded from the balances projection, so that they exist after a restart.
 * A country that stops being capped reports NaN.
 */
@Component
@ProcessingGroup(LedgerMetrics.PROCESSING_GROUP)
class LedgerMetrics {

    static final String PROCESSING_GROUP = "metrics";

    private static final Logger log = LoggerFactory.getLogger(LedgerMetrics.class);
    private static final String NONE = "none";

    /** The latest known level of each capped (or once capped) country. */
    private record Level(double utilization, double remainingTpp) {
        static final Level UNCAPPED = new Level(Double.NaN, Double.NaN);

        static Level of(BigDecimal utilization, Long remaining) {
            return utilization == null ? UNCAPPED
                    : new Level(utilization.doubleValue(), remaining == null ? Double.NaN : remaining);
        }
    }

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Map<String, Level> levels = new ConcurrentHashMap<>();

    LedgerMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ShipmentRecorded event) {
        String tier = tier(event.balance());
        afterCommit(() -> {
            Counter.builder("ledger.shipments.recorded").description("shipments recorded, by destination tier")
                    .tag("tier", tier).register(registry).increment();
            Counter.builder("ledger.tpp.debited").description("TPP debited from quotas by recorded shipments")
                    .tag("tier", tier).register(registry).increment(event.debitedTpp());
            level(event.country(), event.balance());
        });
    }

    @EventHandler
    void on(ShipmentsRecorded event) {
        event.shipments().forEach(this::on);
    }

    @EventHandler
    void on(ShipmentDenied event) {
        String tier = tier(event.balance());
        String reason = event.reason() == null ? NONE : event.reason().name();
        afterCommit(() -> {
            Counter.builder("ledger.shipments.denied").description("shipments denied, by reason and destination tier")
                    .tag("reason", reason).tag("tier", tier).register(registry).increment();
            level(event.country(), event.balance());
        });
    }

    @EventHandler
    void on(ShipmentVoided event) {
        String tier = tier(event.balance());
        afterCommit(() -> {
            Counter.builder("ledger.shipments.voided").description("recorded shipments voided, by destination tier")
                    .tag("tier", tier).register(registry).increment();
            Counter.builder("ledger.tpp.credited").description("TPP credited back to quotas by voids")
                    .tag("tier", tier).register(registry).increment(event.creditedTpp());
            level(event.country(), event.balance());
        });
    }

    @EventHandler
    void on(PolicyApplied event) {
        String policy = event.rules() != null && event.rules().policyId() != null ? event.rules().policyId()
                : event.balanceAfter().policyId() == null ? NONE : event.balanceAfter().policyId();
        afterCommit(() -> {
            Counter.builder("ledger.policy.applied").description("countries that replayed their history under a policy")
                    .tag("policy", policy).register(registry).increment();
            level(event.country(), event.balanceAfter());
        });
    }

    /** The ledger's alerts: quotas turning critical or exhausted (and back), by the status reached. */
    @EventHandler
    void on(QuotaStatusChanged event) {
        String from = event.from() == null ? NONE : event.from().name();
        String to = event.to() == null ? NONE : event.to().name();
        afterCommit(() -> Counter.builder("ledger.quota.status.changes")
                .description("quota status changes, e.g. to CRITICAL or EXHAUSTED").tag("from", from).tag("to", to)
                .register(registry).increment());
    }

    /** The gauges of the countries the balances projection knows, unless an event was faster. */
    @EventListener(ApplicationReadyEvent.class)
    void seedFromProjection() {
        try {
            jdbc.query("SELECT country, utilization, remaining_tpp FROM country_balance WHERE utilization IS NOT NULL",
                    row -> {
                        String country = row.getString("country").trim();
                        Level level = Level.of(row.getBigDecimal("utilization"), row.getObject("remaining_tpp", Long.class));
                        if (levels.putIfAbsent(country, level) == null) {
                            register(country);
                        }
                    });
        } catch (RuntimeException e) {
            log.warn("Could not seed the utilization gauges from the balances projection", e);
        }
    }

    private void level(String country, Balance balance) {
        Level level = Level.of(balance.utilization(), balance.remainingTpp());
        if (level == Level.UNCAPPED && !levels.containsKey(country)) {
            return; // never capped: no series for it
        }
        if (levels.put(country, level) == null) {
            register(country);
        }
    }

    private void register(String country) {
        Gauge.builder("ledger.quota.utilization", levels, map -> map.getOrDefault(country, Level.UNCAPPED).utilization())
                .description("share of the country's cap consumed under the current policy (NaN when not capped)")
                .tag("country", country).register(registry);
        Gauge.builder("ledger.quota.remaining.tpp", levels, map -> map.getOrDefault(country, Level.UNCAPPED).remainingTpp())
                .description("TPP left under the country's cap (NaN when not capped)")
                .tag("country", country).register(registry);
    }

    private static String tier(Balance balance) {
        return balance == null || balance.tier() == null ? NONE : balance.tier();
    }

    /** Counts only what the database kept: after the root unit of work commits, if there is one. */
    private static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> action.run());
        } else {
            action.run();
        }
    }
}
