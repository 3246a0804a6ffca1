package org.quotaledger.quota;

import java.util.List;
import java.util.Set;

import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.QuotaStatusChanged;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the quota events stored before reservations existed (revision 1) as revision 2: every
 * balance they carry gains {@code reservedTpp} 0 and {@code availableTpp} equal to what remained,
 * and a {@code PolicyApplied} gains an empty {@code holds}. What was stored is never rewritten.
 */
@Component
@Order(0)
public class ReservationEraUpcaster extends SingleEventUpcaster {

    static final String BEFORE = "1";
    static final String AFTER = "2";

    private static final Set<String> TYPES = Set.of(ShipmentRecorded.class.getName(), ShipmentDenied.class.getName(),
            ShipmentVoided.class.getName(), QuotaStatusChanged.class.getName(), PolicyApplied.class.getName());
    private static final List<String> BALANCE_FIELDS = List.of("balance", "balanceBefore", "balanceAfter");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return TYPES.contains(event.getType().getName()) && BEFORE.equals(event.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(new SimpleSerializedType(event.getType().getName(), AFTER), JsonNode.class,
                ReservationEraUpcaster::upcast);
    }

    static JsonNode upcast(JsonNode payload) {
        ObjectNode event = (ObjectNode) payload;
        for (String field : BALANCE_FIELDS) {
            if (event.get(field) instanceof ObjectNode balance && !balance.has("reservedTpp")) {
                balance.put("reservedTpp", 0L);
                balance.set("availableTpp", balance.get("remainingTpp"));
            }
        }
        if (event.has("balanceAfter") && !event.has("holds")) {
            event.putObject("holds");
        }
        return event;
    }
}
