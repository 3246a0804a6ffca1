package org.quotaledger.quota;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint that decides whether a repeated {@code shipmentId} is the same shipment
 * (answer again) or a different one (409). It covers everything the exporter said, in a fixed
 * order with separators that cannot occur in the fields' own text.
 */
public final class ShipmentContent {

    private ShipmentContent() {
    }

    static String hash(RecordShipmentRequest request, String exporterId) {
        StringBuilder canonical = new StringBuilder()
                .append(request.shipmentId()).append('\u001f')
                .append(exporterId).append('\u001f')
                .append(request.consignee().id()).append('\u001f')
                .append(request.consignee().name()).append('\u001f')
                .append(request.consignee().headquartersCountry()).append('\u001f')
                .append(request.destinationCountry()).append('\u001f')
                .append(request.shipDate()).append('\u001f')
                .append(request.licenseReference() == null ? "" : request.licenseReference());
        for (RecordShipmentRequest.ItemRequest item : request.items()) {
            canonical.append('\u001e').append(item.model()).append('\u001f').append(item.quantity());
        }
        if (request.reservationId() != null) {
            // only then: the fingerprints of shipments recorded before reservations stay what they were
            canonical.append('\u001d').append(request.reservationId());
        }
        return sha256(canonical.toString());
    }

    /** The hex SHA-256 of a canonical text whose fields are separated by control characters. */
    public static String sha256(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
