package org.quotaledger.quota;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/shipments}. {@code exporterId} may be left out: the exporter is
 * the signed-in one, and a body naming another is refused. {@code reservationId}, when given, names
 * the exporter's reservation the shipment draws on.
 */
public record RecordShipmentRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String shipmentId,
        @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String exporterId,
        @NotNull @Valid ConsigneeRequest consignee,
        @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as AE") String destinationCountry,
        @NotNull LocalDate shipDate,
        @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid ItemRequest> items,
        @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String licenseReference,
        @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String reservationId) {

    /** A shipment that draws on no reservation. */
    public RecordShipmentRequest(String shipmentId, String exporterId, ConsigneeRequest consignee, String destinationCountry,
                          LocalDate shipDate, List<ItemRequest> items, String licenseReference) {
        this(shipmentId, exporterId, consignee, destinationCountry, shipDate, items, licenseReference, null);
    }

    public static final String ID = "[A-Za-z0-9][A-Za-z0-9._:/-]*";
    public static final String ID_MESSAGE = "must start with a letter or digit and use only letters, digits and . _ : / -";
    static final int MAX_ITEMS = 100;
    /** More units than any fab ships in a year: a typo, not a shipment. */
    static final int MAX_QUANTITY = 1_000_000;

    public record ConsigneeRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String id,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code") String headquartersCountry) {
    }

    public record ItemRequest(@NotBlank @Size(max = 64) String model,
                       @NotNull @Positive @Max(MAX_QUANTITY) Integer quantity) {
    }
}
