package org.quotaledger.policy.rules;

/** How a policy counts a recorded shipment. Only {@link #COUNTED} debits the country cap. */
public enum Classification {
    /** Debits the cumulative country cap. */
    COUNTED,
    /** Within the consignee's Low Processing Performance allowance for the calendar year. */
    LPP_EXEMPT,
    /** To a validated end user, outside the country cap. */
    VEU_EXEMPT,
    /** A licence lifted the prohibition for this chip class. */
    LICENSED,
    /** The destination is not capped. */
    UNRESTRICTED,
    /** Shipped outside the policy's counting window. */
    OUTSIDE_WINDOW,
    /** Shipped before any enacted policy took effect. */
    NOT_COVERED,
    /** Only in replays: a recorded shipment that a later policy prohibits. Flagged, never undone. */
    PROHIBITED,
    /** Only in replays: a recorded shipment that a later policy says needed a licence. Flagged. */
    LICENSE_MISSING
}
