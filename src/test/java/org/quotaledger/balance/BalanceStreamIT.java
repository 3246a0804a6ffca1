package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quotaledger.support.LedgerOnPostgres;
import org.quotaledger.support.TestUsers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** GET /api/v1/balances/stream: a snapshot, then each balance change as it is written. */
class BalanceStreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LedgerOnPostgres service;

    @BeforeAll
    static void start() {
        // a heartbeat a second finds closed streams (and gives back their permits) quickly
        service = LedgerOnPostgres.start("--quota-ledger.balance-stream.heartbeat=1s",
                "--quota-ledger.balance-stream.max-per-user=" + MAX_PER_USER);
    }

    private static final int MAX_PER_USER = 3;

    @AfterAll
    static void stop() {
        service.close();
    }

    /** One Server-Sent Event as the wire carries it. */
    record Event(String id, String name, JsonNode data) {
    }

    /** An open stream; its events are read on a background thread into a queue. */
    static final class Stream implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final java.util.stream.Stream<String> lines;
        final HttpResponse<java.util.stream.Stream<String>> response;

        Stream(HttpResponse<java.util.stream.Stream<String>> response) {
            this.response = response;
            this.lines = response.body();
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            String[] current = new String[3];
            StringBuilder data = new StringBuilder();
            try {
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            try {
                                events.add(new Event(current[0], current[1], JSON.readTree(data.toString())));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        current[0] = current[1] = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        current[0] = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        current[1] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    }
                });
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }

        Event next(Duration within) throws InterruptedException {
            return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The next event about {@code country}, skipping others; null when none comes in time. */
        Event nextFor(String country, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                Event event = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (event != null && "balance".equals(event.name()) && country.equals(event.data().path("country").asText())) {
                    return event;
                }
            }
            return null;
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    private static HttpRequest request(String user, String lastEventId) {
        return request(service.ledger().baseUrl(), user, lastEventId);
    }

    private static HttpRequest request(String baseUrl, String user, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + BalanceStreamController.PATH))
                .header("Accept", "text/event-stream");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + TestUsers.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.GET().build();
    }

    private static Stream open(String user, String lastEventId) throws Exception {
        return open(service.ledger().baseUrl(), user, lastEventId);
    }

    /** The stream of the service at {@code baseUrl} (another node's, say), as {@code user}. */
    static Stream open(String baseUrl, String user, String lastEventId) throws Exception {
        return new Stream(HTTP.send(request(baseUrl, user, lastEventId), HttpResponse.BodyHandlers.ofLines()));
    }

    private static String shipment(String id, String country, int h100s) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"Consignee","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2025-03-01","items":[{"model":"H100","quantity":%d}]}"""
                .formatted(id, id, country, country, h100s);
    }

    @Test
    void aRecordedShipmentReachesAnOpenStreamWithTheCountrysNewBalance() throws Exception {
        try (Stream stream = open(TestUsers.AUDITOR, null)) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");

            Event snapshot = stream.next(Duration.ofSeconds(10));
            assertThat(snapshot).isNotNull();
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.id()).isNotBlank();
            assertThat(snapshot.data().path("balances")).hasSize(LedgerOnPostgres.COUNTRIES);

            assertThat(service.ledger().as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("SSE-1", "SA", 2000))
                    .status()).isEqualTo(201);

            Event change = stream.nextFor("SA", Duration.ofSeconds(5));
            assertThat(change).as("SA's balance on the stream within 5 s").isNotNull();
            assertThat(change.data().path("consumedTpp").asLong()).isEqualTo(2000L * 15_832);
            assertThat(change.data().path("shipmentsRecorded").asLong()).isEqualTo(1);
            assertThat(Long.parseLong(change.id())).isGreaterThan(Long.parseLong(snapshot.id()));
        }
    }

    @Test
    void aReconnectingClientGetsAFreshSnapshot() throws Exception {
        assertThat(service.ledger().as(TestUsers.EXPORTER_A).post("/api/v1/shipments", shipment("SSE-2", "QA", 2000))
                .status()).isEqualTo(201);
        try (Stream stream = open(TestUsers.EXPORTER_A, "7")) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // the projection is asynchronous: reconnect until the snapshot has QA's shipment
                try (Stream again = open(TestUsers.REGULATOR, "7")) {
                    Event snapshot = again.next(Duration.ofSeconds(5));
                    assertThat(snapshot.name()).isEqualTo("snapshot");
                    JsonNode qa = null;
                    for (JsonNode balance : snapshot.data().path("balances")) {
                        if (balance.path("country").asText().equals("QA")) {
                            qa = balance;
                        }
                    }
                    assertThat(qa).isNotNull();
                    assertThat(qa.path("consumedTpp").asLong()).isEqualTo(2000L * 15_832);
                }
            });
            assertThat(stream.next(Duration.ofSeconds(5)).name()).isEqualTo("snapshot");
        }
    }

    @Test
    void anAnonymousClientIsUnauthenticated() throws Exception {
        try (Stream stream = open(null, null)) {
            assertThat(stream.response.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aUserMayHoldOnlySoManyStreamsAndAClosedOneGivesItsPlaceBack() throws Exception {
        List<Stream> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_USER; i++) {
                held.add(open(TestUsers.ADMIN, null));
                assertThat(held.get(i).response.statusCode()).isEqualTo(200);
            }

            HttpResponse<String> refused = HTTP.send(request(TestUsers.ADMIN, null), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("status").asInt()).isEqualTo(429);
            assertThat(problem.path("detail").asText())
                    .isEqualTo("at most " + MAX_PER_USER + " balance streams may be open at once per user; close one first");
            try (Stream another = open(TestUsers.AUDITOR, null)) {
                assertThat(another.response.statusCode()).as("another user's limit is its own").isEqualTo(200);
            }

            held.remove(0).close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Stream again = open(TestUsers.ADMIN, null);
                        if (again.response.statusCode() != 200) {
                            again.close();
                        }
                        assertThat(again.response.statusCode()).as("the closed stream's place, given back").isEqualTo(200);
                        held.add(again);
                    });
            assertThat(held.get(held.size() - 1).next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
        } finally {
            held.forEach(Stream::close);
        }
    }
}
