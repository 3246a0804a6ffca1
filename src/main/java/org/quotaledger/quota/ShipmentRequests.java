package org.quotaledger.quota;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.quotaledger.catalog.ChipCatalog;
import org.quotaledger.catalog.ChipModel;
import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.springframework.stereotype.Component;

/**
 * Turns a well-formed request into a command, checking what bean validation cannot: that the
 * countries and chip models exist, that the ship date is possible, and that the TPP adds up.
 */
@Component
public class ShipmentRequests {

    /** Nothing before the first export-control rule on these chips (October 2022) can be a shipment to count; 2000 is a generous floor. */
    static final LocalDate EARLIEST_SHIP_DATE = LocalDate.of(2000, 1, 1);

    private final ChipCatalog catalog;
    private final Clock clock;

    ShipmentRequests(ChipCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    RecordShipment toCommand(RecordShipmentRequest request, String exporterId) {
        return toCommand(request, exporterId, catalog::find);
    }

    /**
     * The catalog as one bulk import sees it: each model's figure as first looked up, so every row
     * of a file counts with the same figure even if a regulator changes it midway.
     */
    public Function<String, Optional<ChipModel>> catalogLookup() {
        Map<String, Optional<ChipModel>> known = new HashMap<>();
        return model -> known.computeIfAbsent(model, catalog::find);
    }

    /** The same checks, with chip models looked up through {@code models}. */
    public RecordShipment toCommand(RecordShipmentRequest request, String exporterId,
                             Function<String, Optional<ChipModel>> models) {
        List<FieldProblem> problems = new ArrayList<>();
        Instant now = clock.instant();
        if (!IsoCountries.isKnown(request.destinationCountry())) {
            problems.add(new FieldProblem("destinationCountry", "unknown country code '" + request.destinationCountry() + "'"));
        }
        if (!IsoCountries.isKnown(request.consignee().headquartersCountry())) {
            problems.add(new FieldProblem("consignee.headquartersCountry",
                    "unknown country code '" + request.consignee().headquartersCountry() + "'"));
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (request.shipDate().isAfter(today.plusDays(1))) {
            problems.add(new FieldProblem("shipDate", request.shipDate() + " is in the future: record a shipment once it ships"));
        } else if (request.shipDate().isBefore(EARLIEST_SHIP_DATE)) {
            problems.add(new FieldProblem("shipDate", request.shipDate() + " is before " + EARLIEST_SHIP_DATE));
        }
        List<LineItem> items = new ArrayList<>();
        for (int i = 0; i < request.items().size(); i++) {
            RecordShipmentRequest.ItemRequest item = request.items().get(i);
            var chip = models.apply(item.model());
            if (chip.isEmpty()) {
                problems.add(new FieldProblem("items[" + i + "].model", "is not a chip model in the catalog (see GET /api/v1/catalog)"));
            } else if (chip.get().tppPerUnit() == null) {
                problems.add(new FieldProblem("items[" + i + "].model", "chip model " + item.model()
                        + " has no TPP figure yet; a regulator must set it in the catalog first"));
            } else {
                ChipModel model = chip.get();
                items.add(new LineItem(model.model(), model.eccn(), item.quantity(), model.tppPerUnit()));
            }
        }
        if (problems.isEmpty()) {
            checkTotal(items, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new RecordShipment(request.destinationCountry(), request.shipmentId(), exporterId,
                new Consignee(request.consignee().id(), request.consignee().name(),
                        request.consignee().headquartersCountry()),
                request.shipDate(), items, request.licenseReference(), ShipmentContent.hash(request, exporterId), now,
                request.reservationId());
    }

    /**
     * Today's limits (quantity, catalog TPP, lines) keep a total far below a long; this keeps an
     * overflow a 400 should a limit ever be raised.
     */
    private static void checkTotal(List<LineItem> items, List<FieldProblem> problems) {
        try {
            LineItem.total(items);
        } catch (ArithmeticException overflow) {
            problems.add(new FieldProblem("items", "the shipment's total TPP is too large to count"));
        }
    }
}
