package org.quotaledger.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.quotaledger.support.PostgresDatabase;
import org.quotaledger.support.RunningLedger;
import org.quotaledger.support.TestUsers;

/**
 * Clients shipping to a few countries as fast as the service answers, each shipment with an id of
 * its own. Every answer is kept: an acknowledged shipment (201 or 422) must be in the ledger
 * whatever happens to the service afterwards; others (no answer, 5xx) may be sent again.
 */
final class Load {

    static final List<String> COUNTRIES = List.of("AE", "SA", "BR", "IN", "MX", "TR", "VN", "ZA");

    final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    final Map<String, String> unanswered = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<RunningLedger.Response> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;

    /** Starts {@code threads} clients against whichever node {@code target} names at each request. */
    Load(String prefix, int threads, Supplier<RunningLedger> target) {
        clients = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int client = t;
            clients.execute(() -> {
                for (int n = 0; running.get(); n++) {
                    String id = prefix + "-" + client + "-" + n;
                    send(target.get(), id, COUNTRIES.get((client + n) % COUNTRIES.size()));
                }
            });
        }
    }

    static String body(String shipmentId, String country) {
        return """
                {"shipmentId":"%s","consignee":{"id":"c-%s","name":"C","headquartersCountry":"%s"},
                 "destinationCountry":"%s","shipDate":"2025-03-01","items":[{"model":"H100","quantity":10}]}"""
                .formatted(shipmentId, shipmentId, country, country);
    }

    /** Sends one shipment and files the answer; the shipment's country is part of its body. */
    int send(RunningLedger node, String id, String country) {
        int status;
        try {
            RunningLedger.Response response = node.as(TestUsers.EXPORTER_A).post("/api/v1/shipments", body(id, country));
            status = response.status();
            if (status >= 500) {
                refusals.add(response);
            }
        } catch (IllegalStateException noAnswer) {
            status = -1;
        }
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        if (status == 201 || status == 422) {
            acknowledged.put(id, status);
            unanswered.remove(id);
        } else {
            unanswered.put(id, country);
            pause();
        }
        return status;
    }

    static final String DECISIONS = "payload_type LIKE '%$ShipmentRecorded' OR payload_type LIKE '%$ShipmentDenied'";

    /** Every shipment decided once: one decision event each, as many as the registry holds, {@code shipments} in all. */
    static void assertEachDecidedOnce(PostgresDatabase database, long shipments) {
        assertThat(database.count("SELECT COUNT(*) FROM (SELECT convert_from(payload, 'UTF8')::jsonb->>'shipmentId' "
                + "FROM domain_event_entry WHERE " + DECISIONS + " GROUP BY 1 HAVING COUNT(*) > 1) twice"))
                .as("shipments decided twice").isZero();
        assertThat(database.count("SELECT COUNT(*) FROM domain_event_entry WHERE " + DECISIONS))
                .isEqualTo(database.count("SELECT COUNT(*) FROM shipment"))
                .isEqualTo(shipments);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    void stop() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(2, TimeUnit.MINUTES);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
