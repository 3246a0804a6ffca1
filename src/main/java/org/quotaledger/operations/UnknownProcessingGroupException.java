package org.quotaledger.operations;

import java.util.List;

import org.quotaledger.infra.RequestRejectedException;

class UnknownProcessingGroupException extends RequestRejectedException {

    UnknownProcessingGroupException(String processingGroup, List<String> known) {
        super(404, "no dead-letter queue for that processing group; there is one for: " + known, List.of());
    }
}
