package org.quotaledger.policy.rules;

/** One line of a shipment, with the TPP per unit the chip catalog gave when it was recorded. */
public record LineItem(String model, String eccn, int quantity, long tppPerUnit) {

    public long tpp() {
        return Math.multiplyExact((long) quantity, tppPerUnit);
    }

    /** The TPP of all the lines; throws ArithmeticException rather than wrap around. */
    public static long total(java.util.List<LineItem> items) {
        long total = 0;
        for (LineItem item : items) {
            total = Math.addExact(total, item.tpp());
        }
        return total;
    }
}
