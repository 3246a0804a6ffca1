package org.quotaledger.statement;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.quotaledger.infra.InvalidRequestException;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.quota.ExporterScope;
import org.quotaledger.security.Caller;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;

import jakarta.validation.constraints.Pattern;

/**
 * An exporter's statement: its shipments, denials and voids (and whatever else a
 * {@link StatementLineSource} contributes) over a period of days (UTC, both ends included), in
 * time order, with a running total of debited TPP per destination. An exporter reads only its own.
 */
@RestController
class StatementController {

    record Statement(String exporterId, LocalDate from, LocalDate to, List<StatementLine> lines, Map<String, Long> totals) {
    }

    private static final CsvMapper CSV = CsvMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final Comparator<StatementLine> IN_TIME_ORDER = Comparator.comparing(StatementLine::at)
            .thenComparing(line -> line.shipmentId() == null ? "" : line.shipmentId())
            .thenComparing(line -> line.reservationId() == null ? "" : line.reservationId())
            .thenComparing(StatementLine::kind);

    private final List<StatementLineSource> sources;
    private final Clock clock;

    StatementController(List<StatementLineSource> sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    /** {@code from} defaults to the first day of this year, {@code to} to today. */
    @GetMapping("/api/v1/exporters/{exporterId}/statement")
    ResponseEntity<?> statement(@PathVariable String exporterId,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                @RequestParam(defaultValue = "json") @Pattern(regexp = "json|csv", message = "must be json or csv")
                                String format) {
        String exporter = ExporterScope.exporterOf(Caller.current(), exporterId, "exporterId");
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate last = to == null ? today : to;
        LocalDate first = from == null ? last.withDayOfYear(1) : from;
        if (first.isAfter(last)) {
            throw new InvalidRequestException(List.of(new FieldProblem("from", "is after to (" + last + ")")));
        }
        Statement statement = statement(exporter, first, last);
        if (format.equals("csv")) {
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"statement-" + exporter + "-"
                            + first + "-" + last + ".csv\"")
                    .body(csv(statement.lines()));
        }
        return ResponseEntity.ok(statement);
    }

    private Statement statement(String exporterId, LocalDate from, LocalDate to) {
        List<StatementLine> lines = new ArrayList<>();
        for (StatementLineSource source : sources) {
            lines.addAll(source.lines(exporterId, from.atStartOfDay().toInstant(ZoneOffset.UTC),
                    to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        lines.sort(IN_TIME_ORDER);
        Map<String, Long> totals = new TreeMap<>();
        List<StatementLine> withTotals = new ArrayList<>(lines.size());
        for (StatementLine line : lines) {
            long running = totals.merge(line.destinationCountry(), line.debitedTpp(), Long::sum);
            withTotals.add(line.withRunningTotal(running));
        }
        return new Statement(exporterId, from, to, withTotals, totals);
    }

    private static String csv(List<StatementLine> lines) {
        try {
            return CSV.writer(CSV.schemaFor(StatementLine.class).withHeader()).writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CSV", e);
        }
    }
}
