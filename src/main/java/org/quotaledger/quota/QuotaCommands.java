package org.quotaledger.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.quotaledger.policy.rules.CountryRules;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.policy.rules.ShipmentFacts;

/** The commands a destination country's quota accepts. Each names the country it goes to. */
public final class QuotaCommands {

    private QuotaCommands() {
    }

    /**
     * @param contentHash what makes a repeat of the same {@code shipmentId} "the same shipment"
     * @param requestedAt the clock reading of the request; the aggregate never reads a clock
     */
    /**
     * @param reservationId the reservation the shipment draws on (confirms), or null
     */
    public record RecordShipment(@TargetAggregateIdentifier String country, String shipmentId, String exporterId,
                                 Consignee consignee, LocalDate shipDate, List<LineItem> items,
                                 String licenseReference, String contentHash, Instant requestedAt,
                                 String reservationId) {

        /** A shipment that draws on no reservation. */
        public RecordShipment(String country, String shipmentId, String exporterId, Consignee consignee,
                              LocalDate shipDate, List<LineItem> items, String licenseReference, String contentHash,
                              Instant requestedAt) {
            this(country, shipmentId, exporterId, consignee, shipDate, items, licenseReference, contentHash,
                    requestedAt, null);
        }

        ShipmentFacts facts() {
            return new ShipmentFacts(shipmentId, consignee.id(), shipDate, items, licenseReference);
        }
    }

    /**
     * Several shipments to one country, decided in order in one unit of work (bulk import): each
     * exactly as a {@link RecordShipment} alone would be, with one idempotency lookup for all.
     */
    public record RecordShipments(@TargetAggregateIdentifier String country, List<RecordShipment> shipments) {

        /**
         * Metadata of a batch gathered from several requests: one attribution per row (principal,
         * roles, request id), which that row's events carry instead of the sending thread's.
         */
        public static final String AUTHORS = "rowAuthors";

        /**
         * Metadata of a batch whose sender takes every shipment id to be new: the registry is not
         * asked first. An id it already holds (a client's retry) fails the commit on the registry's
         * primary key, and the sender sends the batch again without this key, to be looked up.
         */
        public static final String IDS_TAKEN_AS_NEW = "idsTakenAsNew";
    }

    public record VoidShipment(@TargetAggregateIdentifier String country, String shipmentId, String exporterId,
                               String reason, Instant requestedAt) {
    }

    /** Sent to every country when a policy is enacted; applying the same policy twice does nothing. */
    public record ApplyPolicy(@TargetAggregateIdentifier String country, CountryRules rules, Instant enactedAt) {
    }
}
