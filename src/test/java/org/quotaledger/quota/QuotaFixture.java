package org.quotaledger.quota;

import org.axonframework.test.aggregate.AggregateTestFixture;

/** A country quota under test, with the in-memory registries and history its handlers are given. */
record QuotaFixture(AggregateTestFixture<CountryQuota> fixture, InMemoryShipmentRegistry shipments,
                    InMemoryReservationRegistry reservations) {

    static QuotaFixture create() {
        AggregateTestFixture<CountryQuota> fixture = new AggregateTestFixture<>(CountryQuota.class);
        InMemoryShipmentRegistry shipments = new InMemoryShipmentRegistry();
        InMemoryReservationRegistry reservations = new InMemoryReservationRegistry();
        fixture.registerInjectableResource(shipments);
        fixture.registerInjectableResource(reservations);
        fixture.registerInjectableResource(new FixtureCountryHistory(fixture.getEventStore()));
        return new QuotaFixture(fixture, shipments, reservations);
    }
}
