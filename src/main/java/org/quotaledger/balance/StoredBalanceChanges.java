package org.quotaledger.balance;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

import org.quotaledger.balance.BalanceChange.Kind;
import org.quotaledger.policy.rules.Balance;
import org.quotaledger.quota.QuotaEvents.ShipmentDenied;
import org.quotaledger.quota.QuotaEvents.ShipmentRecorded;
import org.quotaledger.quota.QuotaEvents.ShipmentVoided;
import org.quotaledger.quota.ReservationEvents.QuotaReserved;
import org.quotaledger.quota.ReservationEvents.ReservationConfirmed;
import org.quotaledger.quota.ReservationEvents.ReservationExpired;
import org.quotaledger.quota.ReservationEvents.ReservationReleased;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * What a rebuild of the balances reads of the events that make up nearly all of a store: of each
 * stored payload only the country, what caused the change, the balance it carries and when. Read
 * whole, through Axon's upcasters and the projections' handlers, those events cost a rebuild most
 * of its time (measured by the benchmark's rebuild figure).
 *
 * <p>These fields are the same in every stored revision listed here: revision 1 balances lack
 * {@code reservedTpp} and {@code availableTpp}, which {@link Balance} then fills in exactly as the
 * upcaster does (0, and what remained). A revision not listed is refused, so whoever adds one
 * decides here whether the fields read changed ({@code StoredBalanceChangesTest} fails until then).
 * Every other event is read whole: a policy applied or a status changed is rare, and an import's
 * shipments recorded together ({@code ShipmentsRecorded}) are one event for a chunk's rows to a
 * country, so there are few of them too.
 */
final class StoredBalanceChanges {

    /** The revisions of each event type read here, and the change each one is. */
    static final Map<String, Reading> READINGS = Map.of(
            ShipmentRecorded.class.getName(), new Reading(Set.of("1", "2"), Kind.RECORDED),
            ShipmentDenied.class.getName(), new Reading(Set.of("1", "2"), Kind.DENIED),
            ShipmentVoided.class.getName(), new Reading(Set.of("1", "2"), Kind.VOIDED),
            QuotaReserved.class.getName(), new Reading(Set.of("1"), Kind.RESERVATION),
            ReservationConfirmed.class.getName(), new Reading(Set.of("1"), Kind.RESERVATION),
            ReservationReleased.class.getName(), new Reading(Set.of("1"), Kind.RESERVATION),
            ReservationExpired.class.getName(), new Reading(Set.of("1"), Kind.RESERVATION));

    record Reading(Set<String> revisions, Kind kind) {
    }

    /** Each event has one of these instants (a reservation also has its {@code expiresAt}, not read). */
    private static final Set<String> AT_FIELDS = Set.of("recordedAt", "deniedAt", "voidedAt", "reservedAt",
            "confirmedAt", "releasedAt", "expiredAt");

    private final ObjectReader balanceReader;
    private final ObjectReader instantReader;

    StoredBalanceChanges(ObjectMapper json) {
        // Stored events are the ledger's own output: the check for duplicate fields guards requests,
        // and it took a tenth of a rebuild's reading.
        this.balanceReader = json.readerFor(Balance.class).without(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.instantReader = json.readerFor(Instant.class);
    }

    /** The change a stored event of a type read here made, at its place in its country's stream. */
    BalanceChange read(String type, String revision, byte[] payload, long sequence) {
        Reading reading = READINGS.get(type);
        if (reading == null || !reading.revisions().contains(revision)) {
            throw new IllegalStateException("no reading of " + type + " revision " + revision + " for a rebuild");
        }
        try (JsonParser parser = balanceReader.createParser(payload)) {
            return read(parser, reading.kind(), sequence);
        } catch (IOException e) {
            throw new IllegalStateException("a stored " + type + " could not be read", e);
        }
    }

    /**
     * The instant as the service writes it ({@code 2025-03-01T10:15:30.123456Z}), read without
     * java.time's formatter, which took a quarter of a rebuild's reading; any other form is left
     * to Jackson.
     */
    private Instant instant(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant plain = plainUtcInstant(parser.getText());
            if (plain != null) {
                return plain;
            }
        }
        return instantReader.readValue(parser);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, or null for anything else. */
    static Instant plainUtcInstant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int fraction = length - 20; // the digits after the seconds' point, and the point
        if (fraction == 1 || (fraction > 1 && text.charAt(19) != '.')) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            if (hour > 23 || minute > 59 || second > 59) {
                return null;
            }
            int nanos = 0;
            if (fraction > 1) {
                nanos = digits(text, 20, length - 1);
                for (int scale = fraction - 1; scale < 9; scale++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(date.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Walks the payload's top level: the fields read are taken, every other is skipped. */
    private BalanceChange read(JsonParser parser, Kind kind, long sequence) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        String country = null;
        String shipmentId = null;
        String reservationId = null;
        Balance balance = null;
        Instant at = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "country" -> country = parser.getValueAsString();
                case "shipmentId" -> shipmentId = parser.getValueAsString();
                case "reservationId" -> reservationId = parser.getValueAsString();
                case "balance" -> balance = balanceReader.readValue(parser);
                default -> {
                    if (AT_FIELDS.contains(field)) {
                        at = instant(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        if (country == null || balance == null || at == null) {
            throw new IOException("it lacks its country, balance or time");
        }
        return new BalanceChange(country, sequence, kind, kind == Kind.RESERVATION ? reservationId : shipmentId,
                balance, at);
    }
}
