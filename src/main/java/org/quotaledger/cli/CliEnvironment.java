package org.quotaledger.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What the client reads from the world besides its arguments: environment variables, the home
 * directory, whether a person is watching the terminal, and how often it polls jobs. Tests pass
 * their own.
 */
record CliEnvironment(Map<String, String> variables, Path home, boolean interactive, Duration pollInterval,
                      LocalDate today) {

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")),
                // Java 17: a console exists only when both stdin and stdout are a terminal (not a pipe, not a file).
                System.console() != null, Duration.ofMillis(250), LocalDate.now(ZoneOffset.UTC));
    }

    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
