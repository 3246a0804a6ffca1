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
 * <p>Active reservations ({@link Hold}s) count against the cap for everyone but the shipment that
 * confirms them: available = cap − consumed − reserved.
 *
 * <p>It mutates the collections it is given: the aggregate owns them, a replay owns its own.
 */
public final class CountryLedger {

    private static final Comparator<CountryRules> BY_EFFECTIVE_DATE = Comparator.comparing(CountryRules::effectiveFrom);

    private final List<CountryRules> timeline;
    private final Map<String, Long> countedByPolicy;
    private final Map<String, Long> consigneeYearTotals;
    private final Map<String, Hold> holds;

    private CountryLedger(List<CountryRules> timeline, Map<String, Long> countedByPolicy,
                          Map<String, Long> consigneeYearTotals, Map<String, Hold> holds) {
        this.timeline = timeline;
        this.countedByPolicy = countedByPolicy;
        this.consigneeYearTotals = consigneeYearTotals;
        this.holds = holds;
    }

    /** A ledger working on the caller's own (mutable) collections, with no reservations. */
    public static CountryLedger over(List<CountryRules> timeline, Map<String, Long> countedByPolicy,
                                     Map<String, Long> consigneeYearTotals) {
        return over(timeline, countedByPolicy, consigneeYearTotals, new HashMap<>());
    }

    /** A ledger working on the caller's own (mutable) collections; {@code holds} by reservation id. */
    public static CountryLedger over(List<CountryRules> timeline, Map<String, Long> countedByPolicy,
                                     Map<String, Long> consigneeYearTotals, Map<String, Hold> holds) {
        return new CountryLedger(timeline, countedByPolicy, consigneeYearTotals, holds);
    }

    /** A ledger with the given policies and no shipments yet, for replays. */
    public static CountryLedger fresh(List<CountryRules> timeline) {
        List<CountryRules> sorted = new ArrayList<>(timeline);
        sorted.sort(BY_EFFECTIVE_DATE);
        return new CountryLedger(sorted, new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    /** Decides a new shipment: it may be denied. */
    public Assessment assess(ShipmentFacts shipment) {
        return judge(shipment, false, null);
    }

    /**
     * Decides a new shipment that confirms the active reservation {@code reservationId}: its own
     * hold does not stand in its way, every other one does. It may not need more than was reserved.
     */
    public Assessment assessConfirming(ShipmentFacts shipment, String reservationId) {
        Hold hold = holds.get(reservationId);
        if (hold == null) {
            throw new IllegalArgumentException("reservation " + reservationId + " is not active");
        }
        if (shipment.tpp() > hold.tpp()) {
            CountryRules rules = policyInForceOn(shipment.shipDate());
            return new Denied(DenialReason.RESERVATION_EXCEEDED, rules == null ? null : rules.policyId(),
                    "shipment of " + shipment.tpp() + " TPP exceeds the " + hold.tpp() + " TPP reserved in " + reservationId);
        }
        return judge(shipment, false, hold);
    }

    /**
     * Decides a new reservation, as a shipment to the consignee on {@code on} would be decided,
     * except that no LPP exemption applies (a reservation holds quota; an exempt shipment needs
     * none) and chip-class licences are a matter for the shipment. It may be denied.
     */
    public Assessment assessHold(String consigneeId, LocalDate on, long tpp) {
        CountryRules rules = policyInForceOn(on);
        if (rules == null) {
            return new Accepted(Classification.NOT_COVERED, null, 0, false);
        }
        return judgeTier(rules, consigneeId, on, tpp, false, false, false, null);
    }

    /** Puts an accepted reservation on the books; {@code assessment.debitTpp()} is what it holds. */
    public void hold(String reservationId, String consigneeId, LocalDate on, long tpp, Accepted assessment) {
        holds.put(reservationId, new Hold(reservationId, consigneeId, on, tpp, assessment.policyId(), assessment.debitTpp()));
    }

    /** Takes a reservation off the books (confirmed, released or expired); its TPP is available again. */
    public Hold release(String reservationId) {
        return holds.remove(reservationId);
    }

    public boolean holds(String reservationId) {
        return holds.containsKey(reservationId);
    }

    public Hold holdOf(String reservationId) {
        return holds.get(reservationId);
    }

    /** The active reservations, by id: the aggregate's state, and what a replay hands it. */
    public Map<String, Hold> holds() {
        return Map.copyOf(holds);
    }

    public void replaceHolds(Map<String, Hold> replacement) {
        holds.clear();
        holds.putAll(replacement);
    }

    /**
     * Re-decides a shipment that is already on the record. It is never denied: what a later
     * policy would have refused is flagged ({@code beyondCap}, {@code PROHIBITED},
     * {@code LICENSE_MISSING}), because history is never undone.
     */
    public Accepted reassess(ShipmentFacts shipment) {
        return (Accepted) judge(shipment, true, null);
    }

    private Assessment judge(ShipmentFacts shipment, boolean replay, Hold confirming) {
        CountryRules rules = policyInForceOn(shipment.shipDate());
        if (rules == null) {
            return new Accepted(Classification.NOT_COVERED, null, 0, false);
        }
        String policyId = rules.policyId();
        var chipRule = rules.chipRuleFor(shipment);
        if (chipRule.isPresent() && !shipment.hasLicense()) {
            return replay ? new Accepted(Classification.LICENSE_MISSING, policyId, 0, false)
                    : new Denied(DenialReason.LICENSE_REQUIRED, policyId,
                    "chip class rule " + chipRule.get().id() + " requires a licence reference");
        }
        return judgeTier(rules, shipment.consigneeId(), shipment.shipDate(), shipment.tpp(), chipRule.isPresent(),
                true, replay, confirming);
    }

    /**
     * The tier's verdict on TPP going to a consignee on a date; shared by shipments and reservations.
     *
     * @param licensed   a chip-class licence covers it (then a prohibited destination is LICENSED)
     * @param lppApplies whether the per-consignee LPP allowance may exempt it
     * @param confirming the reservation it draws on, whose hold does not count against it
     */
    private Assessment judgeTier(CountryRules rules, String consigneeId, LocalDate on, long tpp, boolean licensed,
                                 boolean lppApplies, boolean replay, Hold confirming) {
        String policyId = rules.policyId();
        TierSpan tier = rules.tierOn(on);
        if (tier.treatment() == Treatment.PROHIBITED) {
            if (licensed) {
                return new Accepted(Classification.LICENSED, policyId, 0, false);
            }
            return replay ? new Accepted(Classification.PROHIBITED, policyId, 0, false)
                    : new Denied(DenialReason.DESTINATION_PROHIBITED, policyId,
                    "destination is in tier " + tier.tier() + " (" + tier.treatment() + ")");
        }
        if (tier.treatment() == Treatment.UNRESTRICTED) {
            return new Accepted(Classification.UNRESTRICTED, policyId, 0, false);
        }
        if (rules.countingWindow() != null && !rules.countingWindow().contains(on)) {
            return new Accepted(Classification.OUTSIDE_WINDOW, policyId, 0, false);
        }
        if (rules.validatedEndUsers().contains(consigneeId)) {
            return new Accepted(Classification.VEU_EXEMPT, policyId, 0, false);
        }
        if (lppApplies && rules.lppThresholdTpp() != null
                && consigneeYearTotal(consigneeId, on) + tpp <= rules.lppThresholdTpp()) {
            return new Accepted(Classification.LPP_EXEMPT, policyId, 0, false);
        }
        long counted = countedUnder(policyId);
        if (replay) {
            // History is flagged against what was consumed; reservations are claims, not shipments.
            return new Accepted(Classification.COUNTED, policyId, tpp, counted + tpp > tier.capTpp());
        }
        long reserved = reservedUnder(policyId)
                - (confirming != null && policyId.equals(confirming.policyId()) ? confirming.heldTpp() : 0);
        long available = tier.capTpp() - counted - reserved;
        if (tpp > available) {
            return new Denied(DenialReason.QUOTA_EXCEEDED, policyId, (lppApplies ? "shipment" : "reservation")
                    + " of " + tpp + " TPP exceeds the remaining " + Math.max(0, tier.capTpp() - counted) + " TPP"
                    + (reserved == 0 ? "" : ", of which " + reserved + " TPP are reserved"));
        }
        return new Accepted(Classification.COUNTED, policyId, tpp, false);
    }

    /**
     * Re-decides a reservation that is on the record, under a new timeline. It is never denied: a
     * reservation the new rules would not have granted still holds what they count (history is
     * never undone), and the balance shows the consequence.
     */
    public Accepted reassessHold(String consigneeId, LocalDate on, long tpp) {
        CountryRules rules = policyInForceOn(on);
        if (rules == null) {
            return new Accepted(Classification.NOT_COVERED, null, 0, false);
        }
        return (Accepted) judgeTier(rules, consigneeId, on, tpp, false, false, true, null);
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
                reservedUnder(current.policyId()), current.criticalThreshold());
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

    /** What active reservations hold under a policy; they are few, so this sums rather than keeps a total. */
    private long reservedUnder(String policyId) {
        long reserved = 0;
        for (Hold hold : holds.values()) {
            if (policyId.equals(hold.policyId())) {
                reserved += hold.heldTpp();
            }
        }
        return reserved;
    }

    private long consigneeYearTotal(String consigneeId, LocalDate on) {
        return consigneeYearTotals.getOrDefault(consigneeYearKey(consigneeId, on), 0L);
    }

    private static String consigneeYearKey(String consigneeId, LocalDate shipDate) {
        return consigneeId + "|" + shipDate.getYear();
    }
}
