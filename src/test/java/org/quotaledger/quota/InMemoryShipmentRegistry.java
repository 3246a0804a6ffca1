package org.quotaledger.quota;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry for aggregate fixtures: what the JDBC registry would hold, put there by the test. */
class InMemoryShipmentRegistry implements ShipmentRegistry {

    private final Map<String, RegisteredShipment> shipments = new HashMap<>();

    void put(RegisteredShipment shipment) {
        shipments.put(shipment.shipmentId(), shipment);
    }

    @Override
    public Optional<RegisteredShipment> find(String shipmentId) {
        return Optional.ofNullable(shipments.get(shipmentId));
    }

    @Override
    public List<RegisteredShipment> byCountry(String country) {
        return shipments.values().stream().filter(s -> s.country().equals(country)).toList();
    }

    @Override
    public List<RegisteredShipment> latestByCountry(String country, String exporterId, int limit) {
        return shipments.values().stream().filter(s -> s.country().equals(country))
                .filter(s -> exporterId == null || s.exporterId().equals(exporterId))
                .sorted(Comparator.comparing(RegisteredShipment::decidedAt).reversed()).limit(limit).toList();
    }
}
