package org.quotaledger.policy.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a policy document before it is enacted, and reports every problem at once so a
 * regulator can fix a document in one round.
 */
public final class PolicyValidator {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private PolicyValidator() {
    }

    /**
     * @param currentEffectiveFrom the effective date of the policy now enacted, or null if none;
     *                             a new policy may not take effect before it
     */
    public static List<PolicyProblem> validate(PolicyDocument doc, LocalDate currentEffectiveFrom) {
        List<PolicyProblem> problems = new ArrayList<>();
        if (doc == null) {
            problems.add(new PolicyProblem("", "a policy document is required"));
            return problems;
        }
        if (doc.id() == null || !ID.matcher(doc.id()).matches()) {
            problems.add(new PolicyProblem("id", "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
        if (doc.title() == null || doc.title().isBlank()) {
            problems.add(new PolicyProblem("title", "is required"));
        }
        if (doc.effectiveFrom() == null) {
            problems.add(new PolicyProblem("effectiveFrom", "is required"));
        } else if (currentEffectiveFrom != null && doc.effectiveFrom().isBefore(currentEffectiveFrom)) {
            problems.add(new PolicyProblem("effectiveFrom", doc.effectiveFrom()
                    + " is before the effective date of the policy in force (" + currentEffectiveFrom + ")"));
        }
        validateTiers(doc, problems);
        validateWindow(doc, problems);
        validateExceptions(doc, problems);
        validateChipRules(doc, problems);
        validateReservations(doc, problems);
        return problems;
    }

    private static void validateTiers(PolicyDocument doc, List<PolicyProblem> problems) {
        if (doc.tiers().isEmpty()) {
            problems.add(new PolicyProblem("tiers", "at least one tier is required"));
        }
        Set<String> names = new HashSet<>();
        List<Located> memberships = new ArrayList<>();
        for (int i = 0; i < doc.tiers().size(); i++) {
            Tier tier = doc.tiers().get(i);
            String at = "tiers[" + i + "]";
            if (tier == null) {
                problems.add(new PolicyProblem(at, "must not be null"));
                continue;
            }
            if (tier.name() == null || tier.name().isBlank()) {
                problems.add(new PolicyProblem(at + ".name", "is required"));
            } else if (!names.add(tier.name())) {
                problems.add(new PolicyProblem(at + ".name", "tier " + tier.name() + " is named twice"));
            }
            if (tier.treatment() == null) {
                problems.add(new PolicyProblem(at + ".treatment", "is required: one of UNRESTRICTED, CAPPED, PROHIBITED"));
            } else if (tier.treatment() == Treatment.CAPPED && tier.capTpp() == null) {
                problems.add(new PolicyProblem(at + ".capTpp", "is required for a CAPPED tier"));
            } else if (tier.treatment() != Treatment.CAPPED && tier.capTpp() != null) {
                problems.add(new PolicyProblem(at + ".capTpp", "only a CAPPED tier has a cap"));
            }
            if (tier.capTpp() != null && tier.capTpp() < 0) {
                problems.add(new PolicyProblem(at + ".capTpp", "must not be negative, was " + tier.capTpp()));
            }
            for (int j = 0; j < tier.countries().size(); j++) {
                String code = tier.countries().get(j);
                if (checkCountry(code, at + ".countries[" + j + "]", problems)) {
                    memberships.add(new Located(tier.name(), at + ".countries[" + j + "]", new TierMembership(code, null, null)));
                }
            }
            for (int j = 0; j < tier.datedMembers().size(); j++) {
                TierMembership member = tier.datedMembers().get(j);
                String path = at + ".datedMembers[" + j + "]";
                if (member == null) {
                    problems.add(new PolicyProblem(path, "must not be null"));
                    continue;
                }
                boolean known = checkCountry(member.country(), path + ".country", problems);
                if (member.from() != null && member.until() != null && !member.until().isAfter(member.from())) {
                    problems.add(new PolicyProblem(path + ".until", "must be after from (" + member.from() + ")"));
                } else if (known) {
                    memberships.add(new Located(tier.name(), path, member));
                }
            }
        }
        if (doc.defaultTier() == null || !names.contains(doc.defaultTier())) {
            problems.add(new PolicyProblem("defaultTier", "must name one of the tiers " + names));
        }
        reportOverlaps(memberships, problems);
    }

    private record Located(String tier, String path, TierMembership membership) {
    }

    private static void reportOverlaps(List<Located> memberships, List<PolicyProblem> problems) {
        for (int i = 0; i < memberships.size(); i++) {
            for (int j = i + 1; j < memberships.size(); j++) {
                Located a = memberships.get(i);
                Located b = memberships.get(j);
                if (a.membership().country().equals(b.membership().country()) && a.membership().overlaps(b.membership())) {
                    problems.add(new PolicyProblem(b.path(), a.membership().country() + " is in tier " + a.tier()
                            + " and tier " + b.tier() + " at the same time (see " + a.path() + ")"));
                }
            }
        }
    }

    private static void validateWindow(PolicyDocument doc, List<PolicyProblem> problems) {
        boolean capped = doc.tiers().stream().anyMatch(t -> t != null && t.treatment() == Treatment.CAPPED);
        CountingWindow window = doc.countingWindow();
        if (window == null) {
            if (capped) {
                problems.add(new PolicyProblem("countingWindow", "is required when a tier is CAPPED"));
            }
            return;
        }
        if (window.from() == null) {
            problems.add(new PolicyProblem("countingWindow.from", "is required"));
        }
        if (window.to() == null) {
            problems.add(new PolicyProblem("countingWindow.to", "is required"));
        }
        if (window.from() != null && window.to() != null && window.to().isBefore(window.from())) {
            problems.add(new PolicyProblem("countingWindow.to", "ends (" + window.to() + ") before the window starts (" + window.from() + ")"));
        }
        if (capped && (doc.criticalThreshold() == null || doc.criticalThreshold().signum() <= 0
                || doc.criticalThreshold().compareTo(BigDecimal.ONE) > 0)) {
            problems.add(new PolicyProblem("criticalThreshold", "is required when a tier is CAPPED and must be in (0, 1], e.g. 0.90"));
        }
    }

    private static void validateExceptions(PolicyDocument doc, List<PolicyProblem> problems) {
        if (doc.lppException() != null && doc.lppException().thresholdTppPerConsigneePerYear() <= 0) {
            problems.add(new PolicyProblem("lppException.thresholdTppPerConsigneePerYear", "must be positive"));
        }
        for (Map.Entry<String, Long> override : doc.capOverrides().entrySet()) {
            String path = "capOverrides." + override.getKey();
            checkCountry(override.getKey(), path, problems);
            if (override.getValue() == null || override.getValue() < 0) {
                problems.add(new PolicyProblem(path, "must be a cap of zero or more TPP"));
            }
        }
        for (int i = 0; i < doc.validatedEndUsers().size(); i++) {
            String consignee = doc.validatedEndUsers().get(i);
            if (consignee == null || consignee.isBlank()) {
                problems.add(new PolicyProblem("validatedEndUsers[" + i + "]", "must be a consignee id"));
            }
        }
    }

    private static void validateChipRules(PolicyDocument doc, List<PolicyProblem> problems) {
        for (int i = 0; i < doc.chipClassRules().size(); i++) {
            ChipClassRule rule = doc.chipClassRules().get(i);
            String at = "chipClassRules[" + i + "]";
            if (rule == null) {
                problems.add(new PolicyProblem(at, "must not be null"));
                continue;
            }
            if (rule.id() == null || rule.id().isBlank()) {
                problems.add(new PolicyProblem(at + ".id", "is required"));
            }
            if (rule.countries().isEmpty()) {
                problems.add(new PolicyProblem(at + ".countries", "at least one country is required"));
            }
            for (int j = 0; j < rule.countries().size(); j++) {
                checkCountry(rule.countries().get(j), at + ".countries[" + j + "]", problems);
            }
            if (rule.minTppPerUnit() != null && rule.minTppPerUnit() < 0) {
                problems.add(new PolicyProblem(at + ".minTppPerUnit", "must not be negative"));
            }
            if (rule.belowTppPerUnit() != null && rule.belowTppPerUnit() <= 0) {
                problems.add(new PolicyProblem(at + ".belowTppPerUnit", "must be positive"));
            }
            if (rule.minTppPerUnit() != null && rule.belowTppPerUnit() != null
                    && rule.belowTppPerUnit() <= rule.minTppPerUnit()) {
                problems.add(new PolicyProblem(at + ".belowTppPerUnit", "must be above minTppPerUnit"));
            }
        }
    }

    private static boolean checkCountry(String code, String path, List<PolicyProblem> problems) {
        if (IsoCountries.isKnown(code)) {
            return true;
        }
        // Echo only what looks like a code: an answer must not replay arbitrary input.
        String shown = code != null && code.matches("[A-Za-z]{1,3}") ? " '" + code + "'" : "";
        problems.add(new PolicyProblem(path, "unknown country code" + shown + ": use ISO 3166-1 alpha-2"));
        return false;
    }

    /** Absent means the default; present, a reservation must be able to last at least a day. */
    private static void validateReservations(PolicyDocument doc, List<PolicyProblem> problems) {
        Integer days = doc.maxReservationDays();
        if (days != null && (days < 1 || days > MAX_RESERVATION_DAYS)) {
            problems.add(new PolicyProblem("maxReservationDays", "must be between 1 and " + MAX_RESERVATION_DAYS
                    + " days, was " + days));
        }
    }

    /** A reservation is a short hold ahead of a shipment, not a second counting window. */
    static final int MAX_RESERVATION_DAYS = 366;
}
