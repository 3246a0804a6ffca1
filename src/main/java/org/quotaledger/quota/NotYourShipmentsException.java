package org.quotaledger.quota;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

/** An exporter named another exporter: it may act only for itself. */
public class NotYourShipmentsException extends RequestRejectedException {

    NotYourShipmentsException(String field) {
        super(403, "you may record and read only your own exporter's shipments",
                List.of(new FieldProblem(field, "names another exporter than the one you sign in for")));
    }
}
