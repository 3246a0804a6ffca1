package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;

/** The postgres (production) profile will not run with the demo users or with no authentication. */
class ProductionProfileIT {

    private static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = PostgresDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static List<String> onTheDatabase(String... settings) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(), "--spring.datasource.password=" + database.password()));
        arguments.addAll(List.of(settings));
        return arguments;
    }

    @Test
    void refusesToStartWithTheDemoUsers() {
        assertThatThrownBy(() -> RunningLedger.run(onTheDatabase(), "postgres", "embedded"))
                .rootCause().hasMessageContaining("refuses to start")
                .hasMessageContaining("demo password").hasMessageContaining("regulator");
    }

    @Test
    void refusesToStartWithNoAuthenticationConfigured() {
        assertThatThrownBy(() -> RunningLedger.run(onTheDatabase(), "postgres"))
                .rootCause().hasMessageContaining("no authentication is configured");
    }

    @Test
    void refusesADemoUserCopiedIntoItsOwnConfiguration() {
        assertThatThrownBy(() -> RunningLedger.run(onTheDatabase("--quota-ledger.security.users[0].username=ops",
                "--quota-ledger.security.users[0].password-hash=$2a$10$bBFmBgf6iYNJ7PPUPq0PX.goMls7nD4ntUr1MaXWKNE3a9t18XW5W",
                "--quota-ledger.security.users[0].roles=ADMIN"), "postgres"))
                .rootCause().hasMessageContaining("[ops]");
    }
}
