package org.quotaledger.quota;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LedgerReplay;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.ShipmentFacts;
import org.quotaledger.quota.CountryHistory.CountryStream;
import org.quotaledger.quota.QuotaEvents.PolicyApplied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.QuotaEvents.ShipmentsRecorded;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * What a replay reads of a stored event: of each serialised payload only the fields the replay
 * uses. A policy change replays every country's history, and deserialising every event whole
 * (balances, timestamps, metadata) through Axon's upcaster chain was the replay's largest cost,
 * measured by the benchmark's policy figure.
 *
 * <p>The fields read here are the same in every stored revision of these events: the upcasters only
 * add balances' reserved TPP and a {@code PolicyApplied}'s holds, which a replay does not read. A
 * revision not listed is refused rather than guessed at, so whoever adds a revision decides here
 * whether the fields read changed ({@code HistoryFormsTest} fails until then).
 */
final class HistoryForms {

    /** The revisions of each event type a replay reads, and the form it reads them in. */
    static final Map<String, Reading> READINGS = Map.of(
            ShipmentRecorded.class.getName(), new Reading(Set.of("1", "2"), Recorded.class),
            ShipmentsRecorded.class.getName(), new Reading(Set.of("1"), RecordedTogether.class),
            ShipmentVoided.class.getName(), new Reading(Set.of("1", "2"), Voided.class),
            PolicyApplied.class.getName(), new Reading(Set.of("1", "2"), Applied.class),
            QuotaReserved.class.getName(), new Reading(Set.of("1"), Reserved.class),
            ReservationConfirmed.class.getName(), new Reading(Set.of("1"), Resolved.class),
            ReservationReleased.class.getName(), new Reading(Set.of("1"), Resolved.class),
            ReservationExpired.class.getName(), new Reading(Set.of("1"), Resolved.class));

    record Reading(Set<String> revisions, Class<?> form) {
    }

    private final Map<String, ObjectReader> readers = new HashMap<>();

    HistoryForms(ObjectMapper json) {
        READINGS.forEach((type, reading) -> readers.put(type, json.readerFor(reading.form())));
    }

    /** A country's stream, built event by event in recording order. */
    Builder stream() {
        return new Builder();
    }

    final class Builder {
        private final List<CountryRules> timeline = new ArrayList<>();
        private final List<LedgerReplay.Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /** Adds a stored event; denials, status changes and refused reservations are not history. */
        void add(String type, String revision, byte[] payload) {
            Reading reading = READINGS.get(type);
            if (reading == null) {
                return;
            }
            if (!reading.revisions().contains(revision)) {
                throw new IllegalStateException("no reading of " + type + " revision " + revision + " for replays");
            }
            Object form;
            try {
                form = readers.get(type).readValue(payload);
            } catch (IOException e) {
                throw new IllegalStateException("a stored " + type + " could not be read", e);
            }
            if (form instanceof Applied applied) {
                timeline.add(applied.rules());
            } else {
                ((HistoryForm) form).addTo(entries);
            }
        }

        CountryStream build() {
            return new CountryStream(timeline, entries);
        }
    }

    /** A form of a stored event that is entries of the history. */
    private interface HistoryForm {
        void addTo(List<LedgerReplay.Entry> entries);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConsigneeId(String id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Recorded(String shipmentId, ConsigneeId consignee, LocalDate shipDate, List<LineItem> items,
                    String licenseReference) implements HistoryForm {
        @Override
        public void addTo(List<LedgerReplay.Entry> entries) {
            entries.add(new LedgerReplay.Entry.ShipmentOnRecord(
                    new ShipmentFacts(shipmentId, consignee.id(), shipDate, items, licenseReference)));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordedTogether(List<Recorded> shipments) implements HistoryForm {
        @Override
        public void addTo(List<LedgerReplay.Entry> entries) {
            shipments.forEach(shipment -> shipment.addTo(entries));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Voided(String shipmentId) implements HistoryForm {
        @Override
        public void addTo(List<LedgerReplay.Entry> entries) {
            entries.add(new LedgerReplay.Entry.ShipmentVoided(shipmentId));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Applied(CountryRules rules) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reserved(String reservationId, ConsigneeId consignee, long tpp, Instant reservedAt) implements HistoryForm {
        @Override
        public void addTo(List<LedgerReplay.Entry> entries) {
            entries.add(new LedgerReplay.Entry.Reserved(reservationId, consignee.id(),
                    LocalDate.ofInstant(reservedAt, ZoneOffset.UTC), tpp));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Resolved(String reservationId) implements HistoryForm {
        @Override
        public void addTo(List<LedgerReplay.Entry> entries) {
            entries.add(new LedgerReplay.Entry.ReservationResolved(reservationId));
        }
    }
}
