package org.quotaledger.shipmentimport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.quotaledger.quota.ExporterScope;
import org.quotaledger.quota.NotYourShipmentsException;
import org.quotaledger.quota.RecordShipmentRequest;
import org.quotaledger.quota.ShipmentRequests;
import org.quotaledger.catalog.ChipModel;
import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Outcome;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Result;
import org.quotaledger.security.Caller;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * The reading half of an import: turns the file's rows into chunks of commands, checking each row
 * exactly as {@code POST /api/v1/shipments} does (bean validation, the exporter, then
 * {@link ShipmentRequests}). A row that fails is answered here; a shipment id seen before in the
 * file waits for its first row's answer.
 */
final class ShipmentImportReader {

    /** The first row of a shipment id in this file; the sending half sets its outcome once decided. */
    static final class FirstSeen {
        final String contentHash;
        volatile Result result;

        FirstSeen(String contentHash) {
            this.contentHash = contentHash;
        }
    }

    /** A valid row, to be sent. */
    record Pending(int row, RecordShipment command, FirstSeen first) {
    }

    /** A row repeating a shipment id of an earlier row of the file. */
    record Repeat(int row, String contentHash, FirstSeen first) {
    }

    /** What the sending half gets: rows to send, repeats to answer, and the rows already answered. */
    record Chunk(List<Pending> pending, List<Repeat> repeats, List<Result> answered) {
    }

    private final Validator validator;
    private final ShipmentRequests requests;
    private final Caller caller;
    /** The catalog as of the job's start; a model changed during the import is seen by the next one. */
    private final Function<String, Optional<ChipModel>> models;
    /** Bounded by the file's 100,000 rows: ids and hashes, not requests. */
    private final Map<String, FirstSeen> seen = new HashMap<>();
    private List<Pending> pending = new ArrayList<>();
    private List<Repeat> repeats = new ArrayList<>();
    private List<Result> answered = new ArrayList<>();
    private int rows;

    ShipmentImportReader(Validator validator, ShipmentRequests requests, Caller caller) {
        this.validator = validator;
        this.requests = requests;
        this.caller = caller;
        this.models = requests.catalogLookup();
    }

    int rows() {
        return rows;
    }

    int pendingRows() {
        return pending.size();
    }

    /** The rows read since the last chunk, handed over; the reader starts a new one. */
    Chunk takeChunk() {
        Chunk chunk = new Chunk(pending, repeats, answered);
        pending = new ArrayList<>();
        repeats = new ArrayList<>();
        answered = new ArrayList<>();
        return chunk;
    }

    void add(ShipmentImportFile.Row row) {
        rows++;
        if (row.number() > ShipmentImporter.MAX_ROWS) {
            invalid(row.number(), row.shipmentId(), "TOO_MANY_ROWS",
                    new FieldProblem("", "an import takes at most " + ShipmentImporter.MAX_ROWS + " rows"));
            return;
        }
        if (row.unreadable() != null) {
            invalid(row.number(), row.shipmentId(), "INVALID_FIELD", row.unreadable());
            return;
        }
        RecordShipment command;
        try {
            command = toCommand(row.request());
        } catch (RequestRejectedException rejected) {
            String reason = rejected instanceof NotYourShipmentsException ? "NOT_YOUR_EXPORTER" : "INVALID_FIELD";
            invalid(row.number(), row.request().shipmentId(), reason, rejected.problems().get(0));
            return;
        }
        FirstSeen first = seen.get(command.shipmentId());
        if (first != null) {
            repeats.add(new Repeat(row.number(), command.contentHash(), first));
            return;
        }
        first = new FirstSeen(command.contentHash());
        seen.put(command.shipmentId(), first);
        pending.add(new Pending(row.number(), command, first));
    }

    /** The single-shipment path's checks, in its order; the first failing field is the row's. */
    private RecordShipment toCommand(RecordShipmentRequest request) {
        List<ConstraintViolation<RecordShipmentRequest>> violations = new ArrayList<>(validator.validate(request));
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(violation -> violation.getPropertyPath().toString()));
            ConstraintViolation<RecordShipmentRequest> first = violations.get(0);
            throw new InvalidRequestException(List.of(new FieldProblem(first.getPropertyPath().toString(), first.getMessage())));
        }
        String exporter = ExporterScope.exporterOf(caller, request.exporterId(), "exporterId");
        return requests.toCommand(request, exporter, models);
    }

    private void invalid(int row, String shipmentId, String reason, FieldProblem problem) {
        answered.add(new Result(row, shipmentId, Outcome.INVALID, reason, problem.field(), problem.message(), null, false));
    }

    /** The same shipment twice in one file gets the first row's answer; other content is a conflict. */
    static Result answer(Repeat repeat) {
        Result first = repeat.first().result;
        String shipmentId = first.shipmentId();
        if (!repeat.contentHash().equals(repeat.first().contentHash)) {
            return new Result(repeat.row(), shipmentId, Outcome.INVALID, "CONFLICT", "shipmentId",
                    "row " + first.row() + " has shipment " + shipmentId + " with other content", null, false);
        }
        return new Result(repeat.row(), shipmentId, first.outcome(), first.reason(), first.field(), first.detail(),
                first.tpp(), false);
    }
}
