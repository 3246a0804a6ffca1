package org.quotaledger.quota;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every shipment id the ledger has answered, written in the same transaction as the event that
 * answered it (Axon's set-based validation). It keeps idempotency out of the aggregate, whose
 * state must not grow with history, and it tells a void what the shipment now debits.
 */
public interface ShipmentRegistry {

    Optional<RegisteredShipment> find(String shipmentId);

    /** The ones of these ids already answered, by id; a store overrides it with one query. */
    default Map<String, RegisteredShipment> findAll(Collection<String> shipmentIds) {
        Map<String, RegisteredShipment> found = new HashMap<>();
        for (String id : shipmentIds) {
            find(id).ifPresent(shipment -> found.put(id, shipment));
        }
        return found;
    }

    /** Every shipment answered for a destination country, denials included. */
    List<RegisteredShipment> byCountry(String country);

    /**
     * A destination country's latest answered shipments, denials included, newest first: one
     * exporter's, or every exporter's when {@code exporterId} is null.
     */
    List<RegisteredShipment> latestByCountry(String country, String exporterId, int limit);
}
