package org.quotaledger.policy.rules;

import java.time.LocalDate;
import java.util.List;

/** What the rules need to know about a shipment. */
public record ShipmentFacts(String shipmentId, String consigneeId, LocalDate shipDate,
                            List<LineItem> items, String licenseReference) {

    public ShipmentFacts {
        items = List.copyOf(items);
    }

    /** Total TPP of the shipment; throws ArithmeticException rather than wrap around. */
    public long tpp() {
        return LineItem.total(items);
    }

    boolean hasLicense() {
        return licenseReference != null && !licenseReference.isBlank();
    }
}
