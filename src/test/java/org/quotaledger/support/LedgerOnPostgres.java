package org.quotaledger.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database and the service on it, ready once the seed policy has opened every country's
 * ledger. Integration tests start one per class and close it after.
 */
public final class LedgerOnPostgres implements AutoCloseable {

    public static final int COUNTRIES = 249;

    private final PostgresDatabase database;
    private RunningLedger ledger;

    private LedgerOnPostgres(PostgresDatabase database, RunningLedger ledger) {
        this.database = database;
        this.ledger = ledger;
    }

    public static LedgerOnPostgres start(String... settings) {
        PostgresDatabase database = PostgresDatabase.create();
        try {
            LedgerOnPostgres started = new LedgerOnPostgres(database, RunningLedger.onPostgres(database, settings));
            started.awaitEveryCountryOpen();
            return started;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * One service for a whole test class, as a static {@code @RegisterExtension} field: started before
     * the class's {@code @BeforeAll} methods run, closed after its {@code @AfterAll} ones.
     */
    public static PerClass perClass(String... settings) {
        return new PerClass(settings);
    }

    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {

        private final String[] settings;
        private LedgerOnPostgres service;

        private PerClass(String[] settings) {
            this.settings = settings;
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            service = start(settings);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (service != null) {
                service.close();
            }
        }

        public RunningLedger ledger() {
            return service.ledger();
        }

        public PostgresDatabase database() {
            return service.database();
        }

        public long events() {
            return service.events();
        }

        public RunningLedger restart(String... restartSettings) {
            return service.restart(restartSettings);
        }

        public void awaitEveryCountryOpen() {
            service.awaitEveryCountryOpen();
        }
    }

    public void awaitEveryCountryOpen() {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                database.count("SELECT COUNT(*) FROM country_balance") == COUNTRIES);
    }

    /** Stops the service and starts it again on the same database. */
    public RunningLedger restart(String... settings) {
        ledger.close();
        ledger = RunningLedger.onPostgres(database, settings);
        return ledger;
    }

    public RunningLedger ledger() {
        return ledger;
    }

    public PostgresDatabase database() {
        return database;
    }

    public long events() {
        return database.count("SELECT COUNT(*) FROM domain_event_entry");
    }

    @Override
    public void close() {
        try {
            ledger.close();
        } finally {
            database.close();
        }
    }
}
