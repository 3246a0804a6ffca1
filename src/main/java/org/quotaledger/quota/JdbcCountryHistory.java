package org.quotaledger.quota;

import java.sql.ResultSet;
import java.time.Instant;

import javax.sql.DataSource;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a country's whole stream from the event table with plain SQL, in one query, and keeps of
 * each event what a replay reads ({@link HistoryForms}). It starts at the stream's first event on
 * purpose: Axon's {@code readEvents(id)} would start at the latest snapshot.
 */
class JdbcCountryHistory implements CountryHistory {

    /** Rows fetched per round trip, so that a long stream is never held whole by the driver. */
    private static final int FETCH_SIZE = 1_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final HistoryForms forms;
    private final String query;

    JdbcCountryHistory(DataSource dataSource, PlatformTransactionManager transactions, HistoryForms forms,
                       EventSchema schema) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setReadOnly(true);
        this.forms = forms;
        this.query = "SELECT " + schema.payloadTypeColumn() + ", " + schema.payloadRevisionColumn() + ", "
                + schema.timestampColumn() + ", " + schema.payloadColumn() + " FROM " + schema.domainEventTable()
                + " WHERE " + schema.aggregateIdentifierColumn() + " = ? ORDER BY " + schema.sequenceNumberColumn();
    }

    @Override
    public CountryStream of(String country) {
        return asOf(country, Instant.MAX);
    }

    @Override
    public CountryStream asOf(String country, Instant instant) {
        boolean whole = instant.equals(Instant.MAX);
        HistoryForms.Builder stream = forms.stream();
        // Joins the command's transaction when there is one, so a replay reads what its command
        // sees; otherwise opens one, without which the driver would fetch every row at once.
        transaction.executeWithoutResult(status -> jdbc.query(query, (ResultSet row) -> {
            while (row.next()) {
                if (!whole && Instant.parse(row.getString(3)).isAfter(instant)) {
                    break; // a stream is in recording order, so everything after this is later too
                }
                stream.add(row.getString(1), row.getString(2), row.getBytes(4));
            }
            return null;
        }, country));
        return stream.build();
    }
}
