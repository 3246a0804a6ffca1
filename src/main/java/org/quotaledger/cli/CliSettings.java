package org.quotaledger.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;

/**
 * Where the client connects and as whom. Each setting comes from, in order of precedence: the
 * command-line flag, the environment ({@code LEDGER_URL}, {@code LEDGER_USER},
 * {@code LEDGER_PASSWORD}, {@code LEDGER_TOKEN}), the config file ({@code --config},
 * {@code LEDGER_CONFIG}, or {@code $XDG_CONFIG_HOME/quota-ledger/cli.properties}, by default
 * {@code ~/.config/quota-ledger/cli.properties}; keys {@code url}, {@code user}, {@code password},
 * {@code token}), then the default URL {@code http://localhost:8080}.
 */
record CliSettings(URI baseUrl, String authorization, String signedInAs) {

    static final String DEFAULT_URL = "http://localhost:8080";

    /** The values given as flags; null when not given. */
    record Flags(String url, String user, String password, String token, Path config) {
    }

    /** A setting and how strongly it was given: flags 3, environment 2, config file 1. */
    private record Setting(String value, int rank) {
        static final Setting NONE = new Setting(null, 0);

        boolean given() {
            return value != null;
        }
    }

    static CliSettings resolve(Flags flags, CliEnvironment environment) {
        Properties file = readConfig(flags, environment);
        Setting url = pick(flags.url(), environment.variable("LEDGER_URL"), file.getProperty("url"));
        Setting user = pick(flags.user(), environment.variable("LEDGER_USER"), file.getProperty("user"));
        Setting password = pick(flags.password(), environment.variable("LEDGER_PASSWORD"), file.getProperty("password"));
        Setting token = pick(flags.token(), environment.variable("LEDGER_TOKEN"), file.getProperty("token"));

        URI baseUrl = baseUrl(url.given() ? url.value() : DEFAULT_URL);
        // A user given more strongly than a token wins (LEDGER_TOKEN in the environment, --user on the line),
        // and the other way round; at equal strength the token does.
        if (token.given() && token.rank() >= user.rank()) {
            return new CliSettings(baseUrl, "Bearer " + token.value(), "a bearer token");
        }
        if (user.given()) {
            if (!password.given()) {
                throw new IllegalArgumentException("user '" + user.value() + "' has no password: set LEDGER_PASSWORD, "
                        + "'password' in the config file, or --password");
            }
            String basic = Base64.getEncoder().encodeToString(
                    (user.value() + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
            return new CliSettings(baseUrl, "Basic " + basic, user.value());
        }
        return new CliSettings(baseUrl, null, null);
    }

    private static Setting pick(String flag, String variable, String fromFile) {
        if (flag != null && !flag.isBlank()) {
            return new Setting(flag, 3);
        }
        if (variable != null) {
            return new Setting(variable, 2);
        }
        if (fromFile != null && !fromFile.isBlank()) {
            return new Setting(fromFile.trim(), 1);
        }
        return Setting.NONE;
    }

    /** A file named with --config or LEDGER_CONFIG must exist; the default one may be absent. */
    private static Properties readConfig(Flags flags, CliEnvironment environment) {
        Path named = flags.config() != null ? flags.config()
                : environment.variable("LEDGER_CONFIG") != null ? Path.of(environment.variable("LEDGER_CONFIG")) : null;
        Path file = named != null ? named : defaultConfig(environment);
        Properties properties = new Properties();
        if (named == null && !Files.isRegularFile(file)) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        }
    }

    static Path defaultConfig(CliEnvironment environment) {
        String xdg = environment.variable("XDG_CONFIG_HOME");
        Path configHome = xdg != null ? Path.of(xdg) : environment.home().resolve(".config");
        return configHome.resolve("quota-ledger").resolve("cli.properties");
    }

    private static URI baseUrl(String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the ledger URL '" + url + "' is not an http(s) URL such as "
                    + DEFAULT_URL);
        }
    }
}
