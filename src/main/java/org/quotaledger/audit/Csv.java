package org.quotaledger.audit;

import java.util.ArrayList;
import java.util.List;

import org.quotaledger.audit.LedgerFolds.CountryComparison;
import org.quotaledger.audit.LedgerFolds.ShipmentComparison;
import org.quotaledger.audit.StoredEvents.Page;
import org.quotaledger.audit.StoredEvents.StoredEvent;
import org.quotaledger.policy.rules.Balance;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;

/** The auditors' downloads, as CSV with a header row. */
final class Csv {

    /** Columns in the order the rows declare them, not alphabetical. */
    private static final CsvMapper CSV = CsvMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();
    private static final MediaType TEXT_CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private Csv() {
    }

    record EventRow(long globalIndex, long sequenceNumber, String timestamp, String type, String revision,
                    String principal, String requestId, String policyInForce, String chainHash, String payload) {
    }

    record BalanceRow(String country, String livePolicy, String liveStatus, Long liveCapTpp, Long liveConsumedTpp,
                      Long liveRemainingTpp, String whatIfPolicy, String whatIfStatus, Long whatIfCapTpp,
                      Long whatIfConsumedTpp, Long whatIfRemainingTpp) {
    }

    record ShipmentRow(String country, String shipmentId, String shipDate, long tpp, String liveClassification,
                       long liveDebitTpp, String whatIfClassification, long whatIfDebitTpp, boolean whatIfBeyondCap) {
    }

    static String events(Page page) {
        List<EventRow> rows = new ArrayList<>();
        for (StoredEvent event : page.events()) {
            rows.add(new EventRow(event.globalIndex(), event.sequenceNumber(), event.timestamp().toString(), event.type(),
                    event.revision(), event.principal(), event.requestId(), event.policyInForce(), event.chainHash(),
                    event.payload().toString()));
        }
        return write(rows, EventRow.class);
    }

    static String replayBalances(List<CountryComparison> results) {
        List<BalanceRow> rows = new ArrayList<>();
        for (CountryComparison result : results) {
            Balance live = result.live();
            Balance whatIf = result.whatIf();
            rows.add(new BalanceRow(result.country(), live == null ? null : live.policyId(),
                    live == null ? null : live.status().name(), live == null ? null : live.capTpp(),
                    live == null ? null : live.consumedTpp(), live == null ? null : live.remainingTpp(),
                    whatIf.policyId(), whatIf.status().name(), whatIf.capTpp(), whatIf.consumedTpp(), whatIf.remainingTpp()));
        }
        return write(rows, BalanceRow.class);
    }

    static String replayShipments(List<CountryComparison> results) {
        List<ShipmentRow> rows = new ArrayList<>();
        for (CountryComparison result : results) {
            for (ShipmentComparison shipment : result.shipments()) {
                rows.add(new ShipmentRow(result.country(), shipment.shipmentId(), shipment.shipDate().toString(),
                        shipment.tpp(), shipment.liveClassification(), shipment.liveDebitTpp(),
                        shipment.whatIfClassification(), shipment.whatIfDebitTpp(), shipment.whatIfBeyondCap()));
            }
        }
        return write(rows, ShipmentRow.class);
    }

    static ResponseEntity<String> response(String filename, String body) {
        return ResponseEntity.ok().contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"").body(body);
    }

    private static <T> String write(List<T> rows, Class<T> type) {
        try {
            return CSV.writer(CSV.schemaFor(type).withHeader()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CSV", e);
        }
    }
}
