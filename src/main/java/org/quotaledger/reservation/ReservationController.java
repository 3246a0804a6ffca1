package org.quotaledger.reservation;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.quota.Consignee;
import org.quotaledger.quota.ExporterScope;
import org.quotaledger.quota.ReservationCommands.ReleaseReservation;
import org.quotaledger.quota.ReservationCommands.ReserveQuota;
import org.quotaledger.quota.ReservationOutcome;
import org.quotaledger.quota.ReservationRegistry.RegisteredReservation;
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
import jakarta.validation.constraints.Size;

/**
 * Exporters reserve quota ahead of a shipment, and release what they no longer need; a shipment
 * naming the reservation confirms it. Another exporter's reservation answers 404.
 */
@RestController
@RequestMapping("/api/v1/reservations")
class ReservationController {

    private final CommandGateway commands;
    private final JdbcReservationRegistry registry;
    private final Clock clock;

    ReservationController(CommandGateway commands, JdbcReservationRegistry registry, Clock clock) {
        this.commands = commands;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * 201 with the reservation when granted; 422 problem+json with the rules' {@code reason} when
     * the TPP is not available; a repeat gets the reservation again, another use of the id 409.
     */
    @PostMapping
    ResponseEntity<?> reserve(@Valid @RequestBody ReservationRequest request) {
        String exporterId = ExporterScope.exporterOf(Caller.current(), request.exporterId(), "exporterId");
        checkCountries(request);
        ReservationOutcome outcome = commands.sendAndWait(new ReserveQuota(request.destinationCountry(),
                request.reservationId(), exporterId, new Consignee(request.consignee().id(), request.consignee().name(),
                request.consignee().headquartersCountry()), request.tpp(), request.expiresAt(),
                request.contentHash(exporterId), clock.instant()));
        if (outcome.denied()) {
            return ResponseEntity.unprocessableEntity().body(denial(outcome));
        }
        return ResponseEntity.created(URI.create("/api/v1/reservations/" + outcome.reservationId()))
                .body(view(outcome.reservationId()));
    }

    @GetMapping("/{reservationId}")
    ReservationView one(@PathVariable String reservationId) {
        return ReservationView.of(visible(reservationId));
    }

    /** An exporter's reservations, newest first; an exporter may leave the parameter out, an auditor names it. */
    @GetMapping
    List<ReservationView> byExporter(@RequestParam(required = false) @Size(max = 64) String exporterId,
                                     @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return registry.byExporter(ExporterScope.exporterOf(Caller.current(), exporterId, "exporterId"), limit)
                .stream().map(ReservationView::of).toList();
    }

    /** Gives the reservation up: what it held is available again. 409 once it is resolved. */
    @PostMapping("/{reservationId}/release")
    ReservationView release(@PathVariable String reservationId) {
        RegisteredReservation reservation = visible(reservationId);
        commands.sendAndWait(new ReleaseReservation(reservation.country(), reservationId, reservation.exporterId(),
                clock.instant()));
        return view(reservationId);
    }

    private static void checkCountries(ReservationRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!IsoCountries.isKnown(request.destinationCountry())) {
            problems.add(new FieldProblem("destinationCountry", "unknown country code '" + request.destinationCountry() + "'"));
        }
        if (!IsoCountries.isKnown(request.consignee().headquartersCountry())) {
            problems.add(new FieldProblem("consignee.headquartersCountry",
                    "unknown country code '" + request.consignee().headquartersCountry() + "'"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    private static ProblemDetail denial(ReservationOutcome outcome) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, outcome.detail());
        problem.setType(URI.create("urn:quota-ledger:problem:reservation-denied"));
        problem.setTitle("Reservation denied");
        problem.setProperty("reason", outcome.reason());
        problem.setProperty("reservationId", outcome.reservationId());
        problem.setProperty("destinationCountry", outcome.destinationCountry());
        problem.setProperty("tpp", outcome.reservedTpp());
        problem.setProperty("availableTpp", outcome.availableTpp());
        problem.setProperty("policyId", outcome.policyId());
        return problem;
    }

    /** The registry row is written in the command's transaction, so it is there once the command returns. */
    private ReservationView view(String reservationId) {
        return ReservationView.of(registry.find(reservationId).orElseThrow(() -> notFound(reservationId)));
    }

    private RegisteredReservation visible(String reservationId) {
        return registry.find(reservationId)
                .filter(reservation -> Caller.current().mayAccessExporter(reservation.exporterId()))
                .orElseThrow(() -> notFound(reservationId));
    }

    private static ResponseStatusException notFound(String reservationId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no reservation " + reservationId + " is recorded");
    }
}
