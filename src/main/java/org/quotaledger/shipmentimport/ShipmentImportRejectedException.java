package org.quotaledger.shipmentimport;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

/** An import file refused as a whole, before any row is read: nothing is recorded. */
class ShipmentImportRejectedException extends RequestRejectedException {

    ShipmentImportRejectedException(int status, String message, FieldProblem problem) {
        super(status, message, List.of(problem));
    }
}
