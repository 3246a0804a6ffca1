package org.quotaledger.infra;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What one node tells all nodes, over PostgreSQL's LISTEN/NOTIFY: no broker besides the database
 * every node already shares. {@link #notify} runs in the caller's transaction, so PostgreSQL
 * delivers the message when (and only if) that transaction commits, to every listening node, this
 * one included. Each node listens on one dedicated connection (outside the pool), read by one
 * thread; a lost connection is reopened, and listeners are told through {@link #onReconnect} that
 * they may have missed messages meanwhile.
 *
 * <p>On another database (the embedded H2) there is one node: {@link #available()} is false and
 * callers keep to their local path.
 */
@Component
public class PostgresChannels implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresChannels.class);
    private static final int POLL_MILLIS = 500;

    private final JdbcTemplate jdbc;
    private final DataSourceProperties properties;
    private final boolean available;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private volatile Thread reader;
    private volatile boolean running;

    PostgresChannels(DataSource dataSource, JdbcTemplate jdbc, DataSourceProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.available = isPostgres(dataSource);
    }

    public boolean available() {
        return available;
    }

    /** Calls {@code listener} with each message's payload, on the reading thread; keep it short. */
    public void listen(String channel, Consumer<String> listener) {
        listeners.computeIfAbsent(channel, name -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Called after the listening connection was lost and opened again: messages may have been missed. */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    /** Sends {@code payload} on {@code channel} when the current transaction commits (at once without one). */
    public void notify(String channel, String payload) {
        jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, channel, payload);
    }

    @Override
    public void start() {
        if (!available || running) {
            return;
        }
        running = true;
        reader = new Thread(this::readUntilStopped, "postgres-channels");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = reader;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void readUntilStopped() {
        boolean first = true;
        while (running) {
            try (Connection connection = DriverManager.getConnection(properties.determineUrl(),
                    properties.determineUsername(), properties.determinePassword())) {
                try (Statement statement = connection.createStatement()) {
                    for (String channel : listeners.keySet()) {
                        statement.execute("LISTEN \"" + channel.replace("\"", "") + "\"");
                    }
                }
                if (!first) {
                    log.info("Listening on PostgreSQL channels {} again", listeners.keySet());
                    reconnectListeners.forEach(PostgresChannels::runQuietly);
                }
                first = false;
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = listening.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getName(), notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Lost the PostgreSQL listening connection ({}); reopening it", e.toString());
                    first = false;
                    pause();
                }
            }
        }
    }

    private void deliver(String channel, String payload) {
        for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                log.warn("A listener of channel {} failed on {}", channel, payload, e);
            }
        }
    }

    private static void runQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("A reconnect listener failed", e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            return metaData.getDatabaseProductName().toLowerCase().contains("postgresql");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database the ledger runs on", e);
        }
    }
}
