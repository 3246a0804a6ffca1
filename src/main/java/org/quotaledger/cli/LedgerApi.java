package org.quotaledger.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The ledger's HTTP API as the client sees it: JSON in, JSON out, and every answer that is not a
 * success turned into a {@link LedgerApiException} carrying the problem+json the ledger sent.
 */
final class LedgerApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final CliSettings settings;
    private final HttpClient http;

    LedgerApi(CliSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Thrown for any answer of 400 or above. */
    static final class LedgerApiException extends RuntimeException {
        private final int status;
        private final transient JsonNode problem;

        LedgerApiException(int status, JsonNode problem, String body) {
            super(describe(status, problem, body));
            this.status = status;
            this.problem = problem;
        }

        int status() {
            return status;
        }

        /** The problem+json body, or null when the answer had none (a proxy's HTML page, say). */
        JsonNode problem() {
            return problem;
        }

        private static String describe(int status, JsonNode problem, String body) {
            if (problem == null || !problem.isObject()) {
                return "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
            }
            StringBuilder text = new StringBuilder("HTTP ").append(status);
            if (problem.hasNonNull("title")) {
                text.append(' ').append(problem.get("title").asText());
            }
            if (problem.hasNonNull("detail")) {
                text.append(": ").append(problem.get("detail").asText());
            }
            if (problem.hasNonNull("reason")) {
                text.append(" [").append(problem.get("reason").asText()).append(']');
            }
            for (JsonNode error : problem.path("errors")) {
                text.append(System.lineSeparator()).append("  ").append(error.path("field").asText())
                        .append(": ").append(error.path("message").asText());
            }
            return text.toString();
        }

        private static String abbreviate(String body) {
            String oneLine = body.strip().replaceAll("\\s+", " ");
            return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
        }
    }

    /** The ledger could not be reached at all. */
    static final class LedgerUnreachableException extends RuntimeException {
        LedgerUnreachableException(URI url, IOException cause) {
            super("cannot reach the ledger at " + url + ": " + cause, cause);
        }
    }

    URI baseUrl() {
        return settings.baseUrl();
    }

    JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    String getText(String path) {
        return send(request(path).GET());
    }

    /** Writes the answer's body to a file as it arrives. */
    void download(String path, Path file) {
        send(request(path).GET(), HttpResponse.BodyHandlers.ofFile(file));
    }

    /**
     * Reads a JSON array (or JSON lines) one element at a time, as it arrives, handing each to
     * {@code each}: a 100,000-row answer is never held in memory.
     */
    void eachJsonValue(String path, Consumer<JsonNode> each) {
        try (InputStream body = send(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
             MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(body)) {
            values.forEachRemaining(each);
        } catch (IOException e) {
            throw new LedgerUnreachableException(settings.baseUrl(), e);
        }
    }

    JsonNode postJson(String path, Object body) {
        try {
            return json(send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams the file as the body: an import of 100,000 rows is never held in memory. */
    JsonNode postFile(String path, Path file, String contentType) throws FileNotFoundException {
        return json(send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofFile(file))));
    }

    /** One path segment, percent-encoded (ids may hold characters a URL path does not take as they are). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(Duration.ofMinutes(5)).header("Accept", "application/json, application/problem+json, text/csv");
        return settings.authorization() == null ? request : request.header("Authorization", settings.authorization());
    }

    private String send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** An answer's body, or, for 400 and above, the text of the problem it carried. */
    private record Body<T>(T value, String problem) {
    }

    /** Sends; an answer of 400 or above is read as text, whatever the handler, and thrown as a problem. */
    private <T> T send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<Body<T>> response;
        try {
            response = http.send(request.build(), answer -> answer.statusCode() >= 400
                    ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                            text -> new Body<T>(null, text))
                    : HttpResponse.BodySubscribers.mapping(handler.apply(answer), value -> new Body<T>(value, null)));
        } catch (IOException e) {
            throw new LedgerUnreachableException(settings.baseUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnreachableException(settings.baseUrl(), new IOException("interrupted"));
        }
        if (response.statusCode() >= 400) {
            String problem = response.body().problem();
            throw new LedgerApiException(response.statusCode(), parse(problem), problem);
        }
        return response.body().value();
    }

    private static JsonNode json(String text) {
        JsonNode body = parse(text);
        return body == null ? JSON.createObjectNode() : body;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
