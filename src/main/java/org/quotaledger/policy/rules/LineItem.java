package org.quotaledger.policy.rules;

/** One line of a shipment, with the TPP per unit the chip catalog gave when it was recorded. */
public record LineItem(String model, String eccn, int quantity, long tppPerUnit) {

    public long tpp() {
        return Math.multiplyExact((long) quantity, tppPerUnit);
    }
}
