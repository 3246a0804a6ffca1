package org.quotaledger.cli;

import java.io.IOException;
import java.nio.file.Files;
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
                standardErrorIsATerminal(), Duration.ofMillis(250), LocalDate.now(ZoneOffset.UTC));
    }

    /**
     * The bar goes to standard error, so that is the stream that must be a terminal: on Linux its
     * file descriptor links to a tty even when standard output goes to a file. Elsewhere, Java 17's
     * console, which exists only when stdin and stdout are both a terminal.
     */
    private static boolean standardErrorIsATerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return System.console() != null;
        }
    }

    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
