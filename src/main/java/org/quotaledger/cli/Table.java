package org.quotaledger.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** A plain text table for people: columns padded, numbers right-aligned with thousands separators. */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] numeric;

    Table(String... headers) {
        this.headers = List.of(headers);
        this.numeric = new boolean[headers.length];
    }

    /** Cells may be JSON values, numbers, or anything with a sensible toString; null shows as "-". */
    Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            Object cell = i < cells.length ? cells[i] : null;
            if (cell instanceof JsonNode node) {
                cell = node.isNull() || node.isMissingNode() ? null : node.isIntegralNumber() ? node.asLong()
                        : node.isNumber() ? node.decimalValue() : node.asText();
            }
            if (cell instanceof Long || cell instanceof Integer) {
                numeric[i] = true;
                row.add(String.format(Locale.ROOT, "%,d", ((Number) cell).longValue()));
            } else if (cell instanceof Number number) {
                numeric[i] = true;
                row.add(number.toString());
            } else {
                row.add(cell == null ? "-" : cell.toString());
            }
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(out, headers, widths);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            String cell = cells.get(i);
            String padding = " ".repeat(widths[i] - cell.length());
            line.append(numeric[i] ? padding + cell : cell + (i == cells.size() - 1 ? "" : padding));
        }
        out.println(line);
    }
}
