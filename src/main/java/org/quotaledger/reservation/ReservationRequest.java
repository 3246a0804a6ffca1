package org.quotaledger.reservation;

import java.time.Instant;

import org.quotaledger.quota.RecordShipmentRequest;
import org.quotaledger.quota.RecordShipmentRequest.ConsigneeRequest;
import org.quotaledger.quota.ShipmentContent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/reservations}. {@code exporterId} may be left out (the signed-in
 * exporter's); {@code expiresAt} too (the policy's default duration).
 */
record ReservationRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = RecordShipmentRequest.ID, message = RecordShipmentRequest.ID_MESSAGE)
        String reservationId,
        @Size(max = 64) @Pattern(regexp = RecordShipmentRequest.ID, message = RecordShipmentRequest.ID_MESSAGE)
        String exporterId,
        @NotNull @Valid ConsigneeRequest consignee,
        @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as AE") String destinationCountry,
        @NotNull @Positive @Max(MAX_TPP) Long tpp,
        Instant expiresAt) {

    /** Far more than any country's cap (the largest 2025 cap is under 10^10 TPP): a typo, not a plan. */
    static final long MAX_TPP = 1_000_000_000_000_000L;

    /** What makes a repeat of the same id "the same reservation"; the default expiry is not part of it. */
    String contentHash(String exporter) {
        return ShipmentContent.sha256(String.join("\u001f", reservationId, exporter, consignee.id(), consignee.name(),
                consignee.headquartersCountry(), destinationCountry, Long.toString(tpp),
                expiresAt == null ? "" : expiresAt.toString()));
    }
}
