package org.quotaledger.operations;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

class UnknownProjectionException extends RequestRejectedException {

    UnknownProjectionException(String projection) {
        super(404, "no rebuildable projection of that name; rebuildable: " + ProjectionRebuilds.REBUILDABLE, List.of());
    }
}
