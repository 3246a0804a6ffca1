package org.quotaledger.policy.rules;

/** How a tier treats shipments to its member countries. */
public enum Treatment {
    /** No cap (Tier 1 under the January 2025 rule; everyone after the May 2025 rescission). */
    UNRESTRICTED,
    /** Shipments debit a cumulative country cap (Tier 2). */
    CAPPED,
    /** Presumption of denial (Tier 3: Country Group D:5 and Macau). */
    PROHIBITED
}
