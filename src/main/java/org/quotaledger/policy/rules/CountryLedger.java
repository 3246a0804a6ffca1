package org.quotaledger.policy.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.quotaledger.policy.rules.Assessment.Accepted;
import org.quotaledger.policy.rules.Assessment.Denied;

/**
 * The rules engine: one destination country's ledger, deciding shipments in the order they are
 * recorded (first come, first served) under the policy in force on each shipment's ship date.
 *
 * <p>Its state is O(1) in the length of history: the policy timeline, the TPP counted under each
 * policy, and the bounded per-consignee-per-year totals the LPP exception needs. The aggregate
 * keeps one of these live; replays build a fresh one and feed it the same history, so the
 * incremental and the replayed balance come from the same code.
 *
 * <p>It mutates the collections it is given: the aggregate owns them, a replay owns its own.
 */
public final class CountryLedger {

    private static final Comparator<CountryRules> BY_EFFECTIVE_DATE = Comparator.comparing(CountryRules::effectiveFrom);

    private final List<CountryRules> timeline;
    private final Map<String, Long> countedByPolicy;
    private final Map<String, Long> consigneeYearTotals;

    private CountryLedger(List<CountryRules> timeline, Map<String, Long> countedByPolicy,
                          Map<String, Long> consigneeYearTotals) {
        this.timeline = timeline;
        this.countedByPolicy = countedByPolicy;
        this.consigneeYearTotals = consigneeYearTotals;
    }

    /** A ledger working on the caller's own (mutable) collections. */
    public static CountryLedger over(List<CountryRules> timeline, Map<String, Long> countedByPolicy,
                                     Map<String, Long> consigneeYearTotals) {
        return new CountryLedger(timeline, countedByPolicy, consigneeYearTotals);
    }

    /** A ledger with the given policies and no shipments yet, for replays. */
    public static CountryLedger fresh(List<CountryRules> timeline) {
        List<CountryRules> sorted = new ArrayList<>(timeline);
        sorted.sort(BY_EFFECTIVE_DATE);
        return new CountryLedger(sorted, new HashMap<>(), new HashMap<>());
    }

    /** Decides a new shipment: it may be denied. */
    public Assessment assess(ShipmentFacts shipment) {
        return judge(shipment, false);
    }

    /**
     * Re-decides a shipment that is already on the record. It is never denied: what a later
     * policy would have refused is flagged ({@code beyondCap}, {@code PROHIBITED},
     * {@code LICENSE_MISSING}), because history is never undone.
     */
    public Accepted reassess(ShipmentFacts shipment) {
        return (Accepted) judge(shipment, true);
    }

    private Assessment judge(ShipmentFacts shipment, boolean replay) {
        CountryRules rules = policyInForceOn(shipment.shipDate());
        if (rules == null) {
            return new Accepted(Classification.NOT_COVERED, null, 0, false);
        }
        String policyId = rules.policyId();
        TierSpan tier = rules.tierOn(shipment.shipDate());
        var chipRule = rules.chipRuleFor(shipment);
        if (chipRule.isPresent() && !shipment.hasLicense()) {
            return replay ? new Accepted(Classification.LICENSE_MISSING, policyId, 0, false)
                    : new Denied(DenialReason.LICENSE_REQUIRED, policyId,
                    "chip class rule " + chipRule.get().id() + " requires a licence reference");
        }
        if (tier.treatment() == Treatment.PROHIBITED) {
            if (chipRule.isPresent()) {
                return new Accepted(Classification.LICENSED, policyId, 0, false);
            }
            return replay ? new Accepted(Classification.PROHIBITED, policyId, 0, false)
                    : new Denied(DenialReason.DESTINATION_PROHIBITED, policyId,
                    "destination is in tier " + tier.tier() + " (" + tier.treatment() + ")");
        }
        if (tier.treatment() == Treatment.UNRESTRICTED) {
            return new Accepted(Classification.UNRESTRICTED, policyId, 0, false);
        }
        return judgeCapped(shipment, rules, tier, replay);
    }

    private Assessment judgeCapped(ShipmentFacts shipment, CountryRules rules, TierSpan tier, boolean replay) {
        String policyId = rules.policyId();
        if (rules.countingWindow() != null && !rules.countingWindow().contains(shipment.shipDate())) {
            return new Accepted(Classification.OUTSIDE_WINDOW, policyId, 0, false);
        }
        if (rules.validatedEndUsers().contains(shipment.consigneeId())) {
            return new Accepted(Classification.VEU_EXEMPT, policyId, 0, false);
        }
        long tpp = shipment.tpp();
        if (rules.lppThresholdTpp() != null
                && consigneeYearTotal(shipment) + tpp <= rules.lppThresholdTpp()) {
            return new Accepted(Classification.LPP_EXEMPT, policyId, 0, false);
        }
        long counted = countedUnder(policyId);
        boolean beyondCap = counted + tpp > tier.capTpp();
        if (beyondCap && !replay) {
            return new Denied(DenialReason.QUOTA_EXCEEDED, policyId,
                    "shipment of " + tpp + " TPP exceeds the remaining " + Math.max(0, tier.capTpp() - counted) + " TPP");
        }
        return new Accepted(Classification.COUNTED, policyId, tpp, beyondCap);
    }

    /** Puts an accepted shipment on the books. */
    public void record(ShipmentFacts shipment, Accepted assessment) {
        if (assessment.debitTpp() != 0) {
            countedByPolicy.merge(assessment.policyId(), assessment.debitTpp(), Long::sum);
        }
        consigneeYearTotals.merge(consigneeYearKey(shipment.consigneeId(), shipment.shipDate()), shipment.tpp(), Long::sum);
    }

    /** Takes a voided shipment off the books: the reverse of {@link #record}. */
    public void unrecord(String consigneeId, LocalDate shipDate, long tpp, String policyId, long debitTpp) {
        if (debitTpp != 0) {
            countedByPolicy.merge(policyId, -debitTpp, Long::sum);
        }
        consigneeYearTotals.merge(consigneeYearKey(consigneeId, shipDate), -tpp, Long::sum);
    }

    /** Adds an enacted policy to the timeline. Counts must then be replaced by a replay's. */
    public void adopt(CountryRules rules) {
        timeline.add(rules);
        timeline.sort(BY_EFFECTIVE_DATE);
    }

    public void replaceCounts(Map<String, Long> counts) {
        countedByPolicy.clear();
        countedByPolicy.putAll(counts);
    }

    public boolean hasAdopted(String policyId) {
        return timeline.stream().anyMatch(rules -> rules.policyId().equals(policyId));
    }

    /**
     * The policy that classifies a shipment: the latest-enacted of those in force on its ship
     * date. The timeline is sorted by effective date and enactment never goes backwards, so the
     * last match wins.
     */
    public CountryRules policyInForceOn(LocalDate date) {
        CountryRules inForce = null;
        for (CountryRules rules : timeline) {
            if (!rules.effectiveFrom().isAfter(date)) {
                inForce = rules;
            }
        }
        return inForce;
    }

    /** The most recently enacted policy: the one balances are shown under. */
    public CountryRules currentPolicy() {
        return timeline.isEmpty() ? null : timeline.get(timeline.size() - 1);
    }

    /** The balance under the current policy, with the country's tier as of {@code asOf}. */
    public Balance balance(LocalDate asOf) {
        CountryRules current = currentPolicy();
        if (current == null) {
            return Balance.none();
        }
        return Balance.of(current.policyId(), current.tierOn(asOf), countedUnder(current.policyId()),
                current.criticalThreshold());
    }

    public List<CountryRules> timeline() {
        return List.copyOf(timeline);
    }

    public Map<String, Long> countedByPolicy() {
        return Map.copyOf(countedByPolicy);
    }

    private long countedUnder(String policyId) {
        return countedByPolicy.getOrDefault(policyId, 0L);
    }

    private long consigneeYearTotal(ShipmentFacts shipment) {
        return consigneeYearTotals.getOrDefault(consigneeYearKey(shipment.consigneeId(), shipment.shipDate()), 0L);
    }

    private static String consigneeYearKey(String consigneeId, LocalDate shipDate) {
        return consigneeId + "|" + shipDate.getYear();
    }
}
