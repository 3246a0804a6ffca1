package org.quotaledger.balance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.quotaledger.policy.rules.BalanceStatus;

/** Queries for live balances and what they answer. */
public final class BalanceMessages {

    private BalanceMessages() {
    }

    /** TPP of one NVIDIA H100: the "H100-equivalent" unit people read. */
    public static final BigDecimal H100_TPP = BigDecimal.valueOf(15_832);

    public record FindAllBalances() {
    }

    public record FindBalance(String country) {
    }

    public record FindPolicyImpact(String policyId) {
    }

    public record CountryBalance(String country, String policyId, String tier, String treatment, Long capTpp,
                                 long consumedTpp, Long remainingTpp, BigDecimal capH100e, BigDecimal consumedH100e,
                                 BigDecimal remainingH100e, BigDecimal utilization, BalanceStatus status,
                                 long shipmentsRecorded, long shipmentsDenied, long shipmentsVoided,
                                 Instant updatedAt, long reservedTpp, Long availableTpp) {
    }

    public record BalanceList(List<CountryBalance> balances) {
    }

    /** Answers {@link FindBalance}; {@code balance} is null for a country the ledger has not opened. */
    public record BalanceFound(CountryBalance balance) {
    }

    public record CountryImpact(String country, String policyBefore, BalanceStatus statusBefore, Long capBeforeTpp,
                                long consumedBeforeTpp, Long remainingBeforeTpp, BalanceStatus statusAfter,
                                Long capAfterTpp, long consumedAfterTpp, Long remainingAfterTpp,
                                int shipmentsReplayed, int reclassified, int beyondCap, Instant appliedAt,
                                String tierBefore, String tierAfter) {

        /** Whether the policy changed what a regulator reads of this country: its tier, cap or status. */
        public boolean changedTierCapOrStatus() {
            return !Objects.equals(tierBefore, tierAfter) || !Objects.equals(capBeforeTpp, capAfterTpp)
                    || statusBefore != statusAfter;
        }
    }

    /** How a policy changed every country it has reached so far. */
    public record PolicyImpact(String policyId, int countriesApplied, int countriesTotal, long consumedBeforeTpp,
                               long consumedAfterTpp, List<CountryImpact> countries) {
    }

    static BigDecimal h100e(Long tpp) {
        return tpp == null ? null : BigDecimal.valueOf(tpp).divide(H100_TPP, 1, RoundingMode.HALF_UP);
    }
}
