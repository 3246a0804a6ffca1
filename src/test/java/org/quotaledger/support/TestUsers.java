package org.quotaledger.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The users integration tests sign in as on the postgres profile: one per role and two
 * exporters, with a test password (not the demo one, which that profile refuses).
 */
public final class TestUsers {

    public static final String PASSWORD = "integration-test-password";
    public static final String REGULATOR = "regulator";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";
    public static final String EXPORTER_A = "exporter-a";
    public static final String EXPORTER_B = "exporter-b";

    private TestUsers() {
    }

    /** Command-line settings that configure them. */
    public static List<String> settings() {
        String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        String[][] users = {{REGULATOR, "REGULATOR", null}, {AUDITOR, "AUDITOR", null}, {ADMIN, "ADMIN", null},
                {EXPORTER_A, "EXPORTER", EXPORTER_A}, {EXPORTER_B, "EXPORTER", EXPORTER_B}};
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < users.length; i++) {
            String prefix = "--quota-ledger.security.users[" + i + "].";
            settings.add(prefix + "username=" + users[i][0]);
            settings.add(prefix + "password-hash=" + hash);
            settings.add(prefix + "roles=" + users[i][1]);
            if (users[i][2] != null) {
                settings.add(prefix + "exporter-id=" + users[i][2]);
            }
        }
        return settings;
    }
}
