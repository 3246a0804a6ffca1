package org.quotaledger.infra;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means the database could not be reached: down, restarting, the connection
 * cut, or no connection to be had. Nothing was recorded, and trying again at once, or for another
 * country, would meet the same; the caller is answered 503 and tries later.
 */
public final class DatabaseUnreachable {

    private DatabaseUnreachable() {
    }

    public static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLRecoverableException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof ConnectException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || isLostConnection(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A connection the database cut (a restart: SQL states 08xxx, 57P0x), one it has no room for
     * (53xxx), or one the pool closed after that; pgjdbc and Hikari report these as plain
     * SQLExceptions.
     */
    private static boolean isLostConnection(Throwable cause) {
        if (cause instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))
                    || state == null && "Connection is closed".equals(sql.getMessage());
        }
        return false;
    }
}
