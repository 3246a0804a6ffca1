package org.quotaledger.quota;

/** The answer to a void: what was credited back, and what remains now. */
public record VoidOutcome(String shipmentId, String destinationCountry, long creditedTpp, Long remainingTpp) {
}
