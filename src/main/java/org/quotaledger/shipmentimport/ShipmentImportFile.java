package org.quotaledger.shipmentimport;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.quotaledger.quota.RecordShipmentRequest;
import org.quotaledger.infra.JsonFieldPath;
import org.quotaledger.infra.RequestRejectedException.FieldProblem;
import org.quotaledger.policy.rules.IsoCountries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * An uploaded import file, read one row at a time (never the whole file as objects). Each row
 * becomes the same {@link RecordShipmentRequest} {@code POST /api/v1/shipments} takes, or the
 * field it could not be read at.
 *
 * <p>CSV has a header row naming {@link #CSV_COLUMNS} (any order; {@code licenseReference},
 * {@code exporterId} and {@code reservationId} may be left out); {@code items} is {@code MODEL:QUANTITY} pairs separated by
 * {@code ;}, e.g. {@code H100:2000;B200:10}. NDJSON has one request as JSON per line.
 */
final class ShipmentImportFile implements Closeable, Iterator<ShipmentImportFile.Row> {

    enum Format { CSV, NDJSON }

    static final List<String> CSV_COLUMNS = List.of("shipmentId", "destinationCountry", "consigneeId", "consigneeName",
            "consigneeCountry", "shipDate", "items", "licenseReference", "exporterId", "reservationId");
    private static final Set<String> OPTIONAL_COLUMNS = Set.of("licenseReference", "exporterId", "reservationId");
    /** A request is a few hundred bytes; a longer line is a mistake, not a shipment. */
    static final int MAX_LINE_CHARS = 64 * 1024;

    /** A row of the file: a request, or the field that could not be read (request then null). */
    record Row(int number, RecordShipmentRequest request, String shipmentId, FieldProblem unreadable) {
    }

    private final Format format;
    private final ObjectMapper json;
    private final BufferedReader lines;
    private final MappingIterator<Map<String, String>> csvRows;
    private int rowNumber;
    private Row next;

    private ShipmentImportFile(Path file, Format format, ObjectMapper json) throws IOException {
        this.format = format;
        this.json = json;
        if (format == Format.CSV) {
            this.lines = null;
            CsvMapper csv = new CsvMapper();
            this.csvRows = csv.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader())
                    .readValues(Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } else {
            this.lines = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            this.csvRows = null;
        }
    }

    static ShipmentImportFile open(Path file, Format format, ObjectMapper json) {
        try {
            return new ShipmentImportFile(file, format, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The known destination countries the file's rows name, alphabetical: what an atomic import
     * holds from its start. A row naming an unknown code is invalid, so holds nothing.
     */
    static SortedSet<String> destinationCountries(Path file, Format format, ObjectMapper json) {
        SortedSet<String> countries = new TreeSet<>();
        try (ShipmentImportFile rows = open(file, format, json)) {
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.number() > ShipmentImporter.MAX_ROWS) {
                    break;
                }
                if (row.request() != null && IsoCountries.isKnown(row.request().destinationCountry())) {
                    countries.add(row.request().destinationCountry());
                }
            }
        }
        return countries;
    }

    /** The problem with a CSV file's header row, if any: a column missing or unknown. */
    static FieldProblem headerProblem(Path file) throws IOException {
        String header;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = reader.readLine();
        }
        if (header == null || header.isBlank()) {
            return new FieldProblem("header", "the file is empty; the first line names the columns " + CSV_COLUMNS);
        }
        List<String> named = new ArrayList<>();
        for (String column : header.split(",", -1)) {
            named.add(column.strip().replace("\"", ""));
        }
        for (String column : named) {
            if (!CSV_COLUMNS.contains(column)) {
                return new FieldProblem("header", "unknown column '" + column + "'; the columns are " + CSV_COLUMNS);
            }
        }
        for (String column : CSV_COLUMNS) {
            if (!OPTIONAL_COLUMNS.contains(column) && !named.contains(column)) {
                return new FieldProblem("header", "column '" + column + "' is missing; the columns are " + CSV_COLUMNS);
            }
        }
        return null;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = read();
        }
        return next != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row row = next;
        next = null;
        return row;
    }

    private Row read() {
        try {
            return format == Format.CSV ? readCsv() : readJsonLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Row readJsonLine() throws IOException {
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        int number = ++rowNumber;
        if (line.length() > MAX_LINE_CHARS) {
            return new Row(number, null, null, new FieldProblem("", "the line is longer than " + MAX_LINE_CHARS + " characters"));
        }
        try {
            return new Row(number, json.readValue(line, RecordShipmentRequest.class), null, null);
        } catch (JsonMappingException mapping) {
            String field = JsonFieldPath.of(mapping.getPath());
            return new Row(number, null, shipmentIdIn(line), new FieldProblem(field, "has the wrong type or format"));
        } catch (JsonProcessingException malformed) {
            return new Row(number, null, null, new FieldProblem("", "the line is not well-formed JSON"));
        }
    }

    /** The id of a row that did not map, if it can be read at all: results name rows by it. */
    private String shipmentIdIn(String line) {
        try {
            var id = json.readTree(line).get("shipmentId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private Row readCsv() throws IOException {
        if (!csvRows.hasNextValue()) {
            return null;
        }
        Map<String, String> cells;
        int number = ++rowNumber;
        try {
            cells = csvRows.nextValue();
        } catch (JsonProcessingException malformed) {
            return new Row(number, null, null, new FieldProblem("", "the row is not well-formed CSV"));
        }
        String shipmentId = cell(cells, "shipmentId");
        LocalDate shipDate;
        try {
            String date = cell(cells, "shipDate");
            shipDate = date == null ? null : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            return new Row(number, null, shipmentId, new FieldProblem("shipDate", "must be a date such as 2025-03-01"));
        }
        List<RecordShipmentRequest.ItemRequest> items = new ArrayList<>();
        String itemCell = cell(cells, "items");
        if (itemCell != null) {
            String[] pairs = itemCell.split(";", -1);
            for (int i = 0; i < pairs.length; i++) {
                String[] pair = pairs[i].split(":", -1);
                if (pair.length != 2) {
                    return new Row(number, null, shipmentId, new FieldProblem("items[" + i + "]", "must be MODEL:QUANTITY"));
                }
                try {
                    items.add(new RecordShipmentRequest.ItemRequest(pair[0].strip(), Integer.valueOf(pair[1].strip())));
                } catch (NumberFormatException e) {
                    return new Row(number, null, shipmentId, new FieldProblem("items[" + i + "].quantity", "must be a whole number"));
                }
            }
        }
        RecordShipmentRequest request = new RecordShipmentRequest(shipmentId, cell(cells, "exporterId"),
                new RecordShipmentRequest.ConsigneeRequest(cell(cells, "consigneeId"), cell(cells, "consigneeName"),
                        cell(cells, "consigneeCountry")),
                cell(cells, "destinationCountry"), shipDate, items, cell(cells, "licenseReference"),
                cell(cells, "reservationId"));
        return new Row(number, request, shipmentId, null);
    }

    /** A blank cell is a missing value, as a missing JSON field is. */
    private static String cell(Map<String, String> cells, String column) {
        String value = cells.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public void close() {
        try {
            if (lines != null) {
                lines.close();
            }
            if (csvRows != null) {
                csvRows.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
