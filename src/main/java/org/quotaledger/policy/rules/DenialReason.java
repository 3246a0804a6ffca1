package org.quotaledger.policy.rules;

/** Stable codes for denied shipments; API clients match on these. */
public enum DenialReason {
    QUOTA_EXCEEDED,
    DESTINATION_PROHIBITED,
    LICENSE_REQUIRED,
    /** A shipment confirming a reservation needs more TPP than was reserved. */
    RESERVATION_EXCEEDED
}
