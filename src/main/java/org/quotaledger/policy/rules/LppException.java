package org.quotaledger.policy.rules;

/**
 * The Low Processing Performance exception: a shipment whose consignee's total for the calendar
 * year, the shipment included, stays within the threshold does not count against the cap.
 */
public record LppException(long thresholdTppPerConsigneePerYear) {
}
