package org.quotaledger.infra;

import java.sql.SQLException;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;

/**
 * Recognises a duplicate key as one, so that two writers appending to the same aggregate get a
 * retryable {@code ConcurrencyException}. Axon's default resolver knows only
 * {@code SQLIntegrityConstraintViolationException}; pgjdbc and H2 report SQLState 23505.
 */
class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    private static final String UNIQUE_VIOLATION = "23505";

    private final PersistenceExceptionResolver fallback = new JdbcSQLErrorCodesResolver();

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return fallback.isDuplicateKeyViolation(exception);
    }
}
