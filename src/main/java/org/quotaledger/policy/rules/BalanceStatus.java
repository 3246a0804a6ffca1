package org.quotaledger.policy.rules;

/** A country's quota status, after the EU tariff-quota statuses. */
public enum BalanceStatus {
    OPEN, CRITICAL, EXHAUSTED, PROHIBITED, UNRESTRICTED
}
