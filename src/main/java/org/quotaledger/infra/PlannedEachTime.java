package org.quotaledger.infra;

import java.sql.PreparedStatement;

import org.postgresql.PGStatement;
import org.springframework.jdbc.core.PreparedStatementCreator;

/**
 * A lookup by key that PostgreSQL plans at each execution, with its values. Every command looks its
 * shipments (and reservations) up by id, on pooled connections that live for many minutes. Once
 * pgjdbc has prepared a statement on the server (from its fifth execution), PostgreSQL keeps a plan
 * for it on that connection; one chosen while the table was nearly empty is a sequential scan, and
 * it stays one until the table is analysed again. Measured on the benchmark's hot figure with
 * autovacuum off: two forms of the shipment lookup averaged 38 and 63 ms a call (nothing found)
 * against 0.07 ms for the others, 80 % of the database's time. With pgjdbc's prepare threshold at
 * 0 no plan is kept: each execution is an index scan. On other databases (H2) nothing changes.
 */
public final class PlannedEachTime {

    private PlannedEachTime() {
    }

    public static PreparedStatementCreator query(String sql, Object... values) {
        return connection -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement;
        };
    }
}
