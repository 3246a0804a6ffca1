package org.quotaledger.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The suite's HTTP client: HTTP/1.1 with kept-alive connections, signed in with HTTP Basic as one
 * of the benchmark's users. Its threads are daemons, so a failed run still exits.
 */
final class BenchHttp {

    static final String SHIPMENTS = "/api/v1/shipments";

    private final HttpClient client;
    private final String base;
    private final String password;

    BenchHttp(String base, String password) {
        this.base = base;
        this.password = password;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "bench-http");
                    thread.setDaemon(true);
                    return thread;
                }))
                .build();
    }

    HttpClient client() {
        return client;
    }

    HttpRequest.Builder request(String user, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", authorization(user));
    }

    /** The Authorization header value signing {@code user} in with HTTP Basic. */
    String authorization(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    /** Sends and returns the response; an I/O failure is a failed run. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    HttpResponse<String> get(String user, String path) {
        return send(request(user, path).GET().build());
    }

    HttpResponse<String> post(String user, String path, String json) {
        return send(request(user, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /**
     * Records shipment {@code i} of a phase as the benchmark's exporter: the same mix as
     * {@link LedgerBenchmark#shipment} (one A100 to a recurring consignee, every 5,000th a
     * cluster). Answers the status: 201 recorded, 422 denied; anything else fails the run.
     */
    int recordShipment(String phase, int i, String country) {
        int status = postShipment(phase, i, country);
        if (status != 201 && status != 422) {
            throw new IllegalStateException("shipment " + phase + "-" + i + " to " + country + ": HTTP " + status);
        }
        return status;
    }

    /**
     * Runs {@code work} while the benchmark's exporter records shipments of {@code phase} to
     * {@code country}, one after another, each timed into {@code latencies}: what a lone exporter
     * waits while the ledger does that work. At least one shipment is timed. Odd numbers only:
     * never a cluster shipment, so no capped quota is debited.
     */
    <T> T whileRecording(String phase, String country, Latencies latencies, Callable<T> work) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService exporter = Executors.newSingleThreadExecutor();
        try {
            Future<?> recording = exporter.submit(() -> {
                int i = 1;
                do {
                    long sent = System.nanoTime();
                    recordShipment(phase, i, country);
                    latencies.add(System.nanoTime() - sent);
                    i += 2;
                } while (running.get());
                return null;
            });
            T result;
            try {
                result = work.call();
            } finally {
                running.set(false);
            }
            recording.get();
            return result;
        } finally {
            exporter.shutdownNow();
        }
    }

    /**
     * The same request with a destination no country has ("XX"): signed in, parsed and validated
     * like any shipment, then refused with 400 before the ledger does anything. What the HTTP
     * stack alone costs, the floor under {@link #recordShipment}.
     */
    int refusedShipment(String phase, int i) {
        int status = postShipment(phase, i, "XX");
        if (status != 400) {
            throw new IllegalStateException("a shipment to XX answered HTTP " + status + ", not 400");
        }
        return status;
    }

    private int postShipment(String phase, int i, String country) {
        return post(LedgerBenchmark.EXPORTER, SHIPMENTS, shipmentJson(phase, i, country)).statusCode();
    }

    /**
     * Shipment {@code i} of a phase: one A100 to a recurring consignee, every 5,000th a cluster
     * beyond the LPP threshold.
     */
    static String shipmentJson(String phase, int i, String country) {
        boolean cluster = i % LedgerBenchmark.CLUSTER_EVERY == 0;
        String consigneeId = cluster ? "cluster-" + phase + "-" + i : "consignee-" + (i % 1_000);
        int quantity = cluster ? LedgerBenchmark.CLUSTER_A100S : 1;
        LocalDate shipDate = LedgerBenchmark.shipDate(i);
        return String.format(Locale.ROOT, """
                {"shipmentId":"bench-%s-%d","destinationCountry":"%s","shipDate":"%s",\
                "consignee":{"id":"%s","name":"Consignee %s","headquartersCountry":"%s"},\
                "items":[{"model":"A100","quantity":%d}]}""",
                phase, i, country, shipDate, consigneeId, consigneeId, country, quantity);
    }
}
