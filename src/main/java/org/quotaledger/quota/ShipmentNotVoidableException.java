package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

/** A void that cannot be done: the shipment is unknown here, was denied, or is already voided. */
public class ShipmentNotVoidableException extends RequestRejectedException {

    public enum Why { NOT_FOUND, DENIED, ALREADY_VOIDED }

    public ShipmentNotVoidableException(String shipmentId, Why why) {
        super(why == Why.NOT_FOUND ? 404 : 409, switch (why) {
            case NOT_FOUND -> "no shipment " + shipmentId + " is recorded";
            case DENIED -> "shipment " + shipmentId + " was denied, so there is nothing to void";
            case ALREADY_VOIDED -> "shipment " + shipmentId + " is already voided";
        }, List.of());
    }
}
