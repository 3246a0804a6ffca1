package org.quotaledger.support;

import java.io.IOException;
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

    public record Response(int status, String contentType, JsonNode body, String raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private RunningLedger(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The service on the {@code postgres} profile, on the given database. Settings are "--name=value". */
    public static RunningLedger onPostgres(PostgresDatabase database, String... settings) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password()));
        arguments.addAll(List.of(settings));
        return start(arguments, "postgres");
    }

    /** The service on its embedded default (H2 files), with the files under {@code dataDirectory}. */
    public static RunningLedger embedded(Path dataDirectory) {
        return start(List.of("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dataDirectory.resolve("quota-ledger") + ";MODE=PostgreSQL"));
    }

    private static RunningLedger start(List<String> arguments, String... profiles) {
        QuotaLedgerApplication.disableUpdateChecker();
        return new RunningLedger(new SpringApplicationBuilder(QuotaLedgerApplication.class).profiles(profiles)
                .run(arguments.toArray(String[]::new)));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response postFile(String path, Path file) throws IOException {
        return post(path, Files.readString(file));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : parse(response.body());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                    response.body());
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
        context.close();
    }
}
