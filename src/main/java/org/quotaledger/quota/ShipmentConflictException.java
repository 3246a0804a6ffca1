package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

/** The shipment id is taken by a shipment with different content. */
public class ShipmentConflictException extends RequestRejectedException {

    public ShipmentConflictException(String shipmentId) {
        super(409, "shipment " + shipmentId + " was already recorded with different content",
                List.of(new FieldProblem("shipmentId", "already used for a different shipment")));
    }
}
