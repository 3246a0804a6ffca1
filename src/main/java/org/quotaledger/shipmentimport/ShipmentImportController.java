package org.quotaledger.shipmentimport;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.quotaledger.quota.ExporterScope;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Job;
import org.quotaledger.shipmentimport.ShipmentImportJobs.Result;
import org.quotaledger.security.Caller;
import java.time.Clock;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Pattern;

/**
 * Bulk import of shipments: a file of up to 100,000 rows becomes a job whose progress and
 * per-row outcomes any node can answer for. The file is streamed to disk, then read row by row.
 */
@RestController
@RequestMapping("/api/v1/shipments/batch")
class ShipmentImportController {

    static final String NDJSON = "application/x-ndjson";
    private static final CsvMapper CSV = CsvMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();

    private final ShipmentImportJobs jobs;
    private final ShipmentImporter importer;
    private final ObjectMapper json;
    private final Clock clock;

    ShipmentImportController(ShipmentImportJobs jobs, ShipmentImporter importer, ObjectMapper json, Clock clock) {
        this.jobs = jobs;
        this.importer = importer;
        this.json = json;
        this.clock = clock;
    }

    /** 202 with the job; it runs in the background. Bad rows never fail the upload, only themselves. */
    @PostMapping(consumes = {"text/csv", NDJSON})
    ResponseEntity<Job> start(@RequestParam(defaultValue = "false") boolean atomic,
                              @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                              HttpServletRequest request) throws IOException {
        String exporterId = ExporterScope.exporterOf(Caller.current(), null, "exporterId");
        ShipmentImportFile.Format format = contentType.isCompatibleWith(MediaType.parseMediaType(NDJSON))
                ? ShipmentImportFile.Format.NDJSON : ShipmentImportFile.Format.CSV;
        Path file = Files.createTempFile("shipment-import-", format == ShipmentImportFile.Format.CSV ? ".csv" : ".ndjson");
        try {
            long lines = spool(request.getInputStream(), file);
            long header = format == ShipmentImportFile.Format.CSV ? 1 : 0;
            if (lines - header > ShipmentImporter.MAX_ROWS) {
                throw new ShipmentImportRejectedException(413, "an import takes at most " + ShipmentImporter.MAX_ROWS
                        + " rows", new FieldProblem("body", "has " + (lines - header) + " lines"));
            }
            if (format == ShipmentImportFile.Format.CSV) {
                FieldProblem headerProblem = ShipmentImportFile.headerProblem(file);
                if (headerProblem != null) {
                    throw new ShipmentImportRejectedException(400, "the CSV header row is not the documented one", headerProblem);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        String jobId = UUID.randomUUID().toString();
        jobs.create(jobId, exporterId, atomic, format, clock.instant());
        importer.start(jobId, exporterId, atomic, file, format);
        return ResponseEntity.accepted().location(URI.create("/api/v1/shipments/batch/" + jobId))
                .body(jobs.find(jobId).orElseThrow());
    }

    @GetMapping("/{jobId}")
    Job job(@PathVariable String jobId) {
        return visible(jobId);
    }

    /** Every row's outcome, in row order, streamed: JSON (an array) or CSV with a header row. */
    @GetMapping("/{jobId}/results")
    ResponseEntity<StreamingResponseBody> results(@PathVariable String jobId,
                                                  @RequestParam(defaultValue = "json") @Pattern(regexp = "json|csv",
                                                          message = "must be json or csv") String format) {
        visible(jobId);
        if (format.equals("csv")) {
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-" + jobId + ".csv\"")
                    .body(out -> writeCsv(jobId, out));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out -> writeJson(jobId, out));
    }

    private void writeJson(String jobId, OutputStream out) throws IOException {
        try (JsonGenerator generator = json.getFactory().createGenerator(new BufferedOutputStream(out))) {
            generator.writeStartArray();
            jobs.eachResult(jobId, result -> write(() -> json.writeValue(generator, result)));
            generator.writeEndArray();
        }
    }

    private void writeCsv(String jobId, OutputStream out) throws IOException {
        try (SequenceWriter writer = CSV.writer(CSV.schemaFor(Result.class).withHeader())
                .writeValues(new BufferedOutputStream(out))) {
            jobs.eachResult(jobId, result -> write(() -> writer.write(result)));
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another exporter's job answers 404, so its existence does not leak. */
    private Job visible(String jobId) {
        return jobs.find(jobId).filter(job -> Caller.current().mayAccessExporter(job.exporterId()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no import job " + jobId));
    }

    /** Copies the body to the file, counting its lines; the size filter stops it past the limit. */
    private static long spool(InputStream body, Path file) throws IOException {
        long lines = 0;
        boolean pendingLine = false;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                        pendingLine = false;
                    } else {
                        pendingLine = true;
                    }
                }
                out.write(buffer, 0, n);
            }
        }
        return pendingLine ? lines + 1 : lines;
    }
}
