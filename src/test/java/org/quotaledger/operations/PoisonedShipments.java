package org.quotaledger.operations;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;

/**
 * A handler in the "balances" processing group that chokes on one shipment until told it is
 * fixed: the poison event of {@link DeadLetterIT}. Not a component (component scanning would put it
 * into every test's service); that test adds it with {@code --spring.main.sources}. Registered
 * before the scanned projections, so it fails the event before they write anything.
 */
@ProcessingGroup("balances")
public class PoisonedShipments {

    private volatile String poisoned;

    public void poison(String shipmentId) {
        poisoned = shipmentId;
    }

    public void fix() {
        poisoned = null;
    }

    @EventHandler
    void on(ShipmentRecorded event) {
        if (event.shipmentId().equals(poisoned)) {
            throw new IllegalStateException("cannot project shipment " + event.shipmentId() + " (poisoned by the test)");
        }
    }
}
