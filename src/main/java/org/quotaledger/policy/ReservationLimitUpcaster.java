package org.quotaledger.policy;

import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.quotaledger.policy.PolicyMessages.PolicyEnacted;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code PolicyEnacted} stored before policies could limit reservations (revision 1) as
 * revision 2: its document gains {@code maxReservationDays} null, which means the default limit.
 */
@Component
@Order(0)
public class ReservationLimitUpcaster extends SingleEventUpcaster {

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return PolicyEnacted.class.getName().equals(event.getType().getName())
                && "1".equals(event.getType().getRevision());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(new SimpleSerializedType(PolicyEnacted.class.getName(), "2"), JsonNode.class,
                ReservationLimitUpcaster::upcast);
    }

    static JsonNode upcast(JsonNode payload) {
        if (payload.get("document") instanceof ObjectNode document && !document.has("maxReservationDays")) {
            document.putNull("maxReservationDays");
        }
        return payload;
    }
}
