package org.quotaledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The external programs the suite runs (pgbench, wrk): a system property's path, else the PATH. */
final class Executables {

    private Executables() {
    }

    /** {@code -D<property>} when set, else {@code name} on the PATH. */
    static Optional<String> configuredOrOnPath(String property, String name) {
        String configured = System.getProperty(property, "");
        if (!configured.isBlank()) {
            return Optional.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name).toString());
            }
        }
        return Optional.empty();
    }
}
