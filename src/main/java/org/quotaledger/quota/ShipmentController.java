package org.quotaledger.quota;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.quotaledger.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Exporters record shipments and void their own mistakes. */
@RestController
@RequestMapping("/api/v1/shipments")
class ShipmentController {

    record VoidRequest(@NotBlank @Size(max = 500) String reason) {
    }

    private final CommandGateway commands;
    private final ShipmentGroupCommit groupCommit;
    private final ShipmentRequests requests;
    private final JdbcShipmentRegistry registry;
    private final Clock clock;

    ShipmentController(CommandGateway commands, ShipmentGroupCommit groupCommit, ShipmentRequests requests,
                       JdbcShipmentRegistry registry, Clock clock) {
        this.commands = commands;
        this.groupCommit = groupCommit;
        this.requests = requests;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Records a shipment: 201 when recorded, 422 problem+json with a stable {@code reason} when
     * denied. A repeat of the same shipment gets the same answer; a different one under the same
     * id gets 409. Concurrent requests to one country share a commit (see {@link ShipmentGroupCommit}).
     */
    @PostMapping
    ResponseEntity<?> record(@Valid @RequestBody RecordShipmentRequest request) {
        String exporterId = ExporterScope.exporterOf(Caller.current(), request.exporterId(), "exporterId");
        ShipmentOutcome outcome = groupCommit.record(requests.toCommand(request, exporterId));
        if (outcome.status() == ShipmentOutcome.Status.DENIED) {
            return ResponseEntity.unprocessableEntity().body(denial(outcome));
        }
        return ResponseEntity.created(URI.create("/api/v1/shipments/" + outcome.shipmentId())).body(outcome);
    }

    private static ProblemDetail denial(ShipmentOutcome outcome) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, outcome.detail());
        problem.setType(URI.create("urn:quota-ledger:problem:shipment-denied"));
        problem.setTitle("Shipment denied");
        problem.setProperty("outcome", outcome.status());
        problem.setProperty("reason", outcome.reason());
        problem.setProperty("shipmentId", outcome.shipmentId());
        problem.setProperty("destinationCountry", outcome.destinationCountry());
        problem.setProperty("tpp", outcome.tpp());
        problem.setProperty("remainingTpp", outcome.remainingTpp());
        problem.setProperty("policyId", outcome.policyId());
        return problem;
    }

    /** Corrects a mistaken record with a compensating event that credits the quota back. */
    @PostMapping("/{shipmentId}/void")
    VoidOutcome voidShipment(@PathVariable String shipmentId, @Valid @RequestBody VoidRequest request) {
        RegisteredShipment shipment = visible(shipmentId);
        return commands.sendAndWait(new QuotaCommands.VoidShipment(shipment.country(), shipmentId,
                shipment.exporterId(), request.reason(), clock.instant()));
    }

    @GetMapping("/{shipmentId}")
    RegisteredShipment one(@PathVariable String shipmentId) {
        return visible(shipmentId);
    }

    /**
     * An exporter's shipments, denials and voids, newest first. An exporter gets its own and may
     * leave the parameter out; an auditor names the exporter.
     */
    @GetMapping
    List<RegisteredShipment> byExporter(@RequestParam(required = false) @Size(max = 64) String exporterId,
                                        @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return registry.byExporter(ExporterScope.exporterOf(Caller.current(), exporterId, "exporterId"), limit);
    }

    /** Another exporter's shipment answers 404, so its existence does not leak. */
    private RegisteredShipment visible(String shipmentId) {
        return registry.find(shipmentId)
                .filter(shipment -> Caller.current().mayAccessExporter(shipment.exporterId()))
                .orElseThrow(() -> notFound(shipmentId));
    }

    private static ResponseStatusException notFound(String shipmentId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no shipment " + shipmentId + " is recorded");
    }
}
