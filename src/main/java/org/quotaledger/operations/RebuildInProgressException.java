package org.quotaledger.operations;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

class RebuildInProgressException extends RequestRejectedException {

    RebuildInProgressException(String projection, String node) {
        super(409, "a rebuild of " + projection + " is already running, on node " + node, List.of());
    }
}
