package org.quotaledger.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.quotaledger.QuotaLedgerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The whole service, started in this JVM on a random port, talked to over real HTTP. */
public final class RunningLedger implements AutoCloseable {

    public record Response(int status, String contentType, JsonNode body, String raw,
                           java.net.http.HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String password;

    private RunningLedger(ConfigurableApplicationContext context, String password) {
        this(context, "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort(), password);
    }

    private RunningLedger(ConfigurableApplicationContext context, String base, String password) {
        this.context = context;
        this.base = base;
        this.password = password;
    }

    /** A service running elsewhere (another process, see {@link LedgerProcess}): HTTP only, no beans. */
    public static RunningLedger at(String baseUrl, String password) {
        return new RunningLedger(null, baseUrl, password);
    }

    /** Requests signed in as one user (HTTP Basic). */
    public final class Client {
        private final String authorization;

        private Client(String authorization) {
            this.authorization = authorization;
        }

        public Response get(String path) {
            return RunningLedger.this.send(request(path).GET());
        }

        public Response post(String path, String json) {
            return RunningLedger.this.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        /** A body of another type than JSON, e.g. a CSV file. */
        public Response post(String path, String contentType, String body) {
            return RunningLedger.this.send(request(path).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        public Response put(String path, String json) {
            return RunningLedger.this.send(request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response send(String method, String path, String json) {
            return RunningLedger.this.send(request(path).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            return authorization == null ? request : request.header("Authorization", authorization);
        }
    }

    public Client as(String username) {
        return new Client("Basic " + java.util.Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public Client withBearer(String token) {
        return new Client("Bearer " + token);
    }

    public Client anonymous() {
        return new Client(null);
    }

    /** Reads as the auditor, who may read everything. */
    public Response get(String path) {
        return as(TestUsers.AUDITOR).get(path);
    }

    /** Enacts one of the policies the service ships ({@code src/main/resources/policies}), as {@link #enact} does. */
    public void enactShipped(String policyId) {
        try {
            enact(Files.readString(Path.of("src/main/resources/policies/" + policyId + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Enacts a policy as the regulator (201, or the test fails) and waits until its fan-out is
     * over and projected: every country has its impact row, written in the same projection batch as
     * its balance. (Each country applies a policy in its own transaction, so one country answering
     * under it says nothing of the others.)
     */
    public void enact(String policyJson) {
        Response enacted = as(TestUsers.REGULATOR).post("/api/v1/policies", policyJson);
        if (enacted.status() != 201) {
            throw new AssertionError("enacting the policy answered " + enacted.status() + ": " + enacted.raw());
        }
        String policyId = enacted.body().get("policyId").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode impact = get("/api/v1/policies/" + policyId + "/impact").body();
            return impact != null && impact.path("countriesApplied").asInt() == impact.path("countriesTotal").asInt(-1);
        });
    }

    /** The service on the {@code postgres} profile, on the given database. Settings are "--name=value". */
    public static RunningLedger onPostgres(PostgresDatabase database, String... settings) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password()));
        arguments.addAll(TestUsers.settings());
        arguments.addAll(List.of(settings));
        return start(arguments, TestUsers.PASSWORD, "postgres");
    }

    /**
     * The service on its embedded default (H2 files, demo users), with the files under
     * {@code dataDirectory}. Its users' password is the documented demo one.
     */
    public static RunningLedger embedded(Path dataDirectory) {
        return start(List.of("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dataDirectory.resolve("quota-ledger") + ";MODE=PostgreSQL"),
                "quota-ledger-demo");
    }

    /** Starts the application as {@code java -jar} would, with these command-line arguments. */
    public static ConfigurableApplicationContext run(List<String> arguments, String... profiles) {
        QuotaLedgerApplication.disableUpdateChecker();
        return new SpringApplicationBuilder(QuotaLedgerApplication.class).profiles(profiles)
                .run(arguments.toArray(String[]::new));
    }

    private static RunningLedger start(List<String> arguments, String password, String... profiles) {
        return new RunningLedger(run(arguments, profiles), password);
    }

    public String baseUrl() {
        return base;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : parse(response.body());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }
}
