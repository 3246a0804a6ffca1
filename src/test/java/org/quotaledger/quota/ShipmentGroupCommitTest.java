package org.quotaledger.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quotaledger.policy.rules.Classification;
import org.quotaledger.policy.rules.DenialReason;
import org.quotaledger.policy.rules.LineItem;
import org.quotaledger.quota.QuotaCommands.RecordShipment;
import org.quotaledger.quota.MultiCountryCommit.CountryAnswers;
import org.quotaledger.quota.MultiCountryCommit.CountryBatch;
import org.quotaledger.quota.QuotaCommands.RecordShipments;
import org.quotaledger.quota.ReservationRejectedException.Reason;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The group commit alone, with a fake shared commit in place of the real one: who leads, what is
 * sent together, who gets which answer, and that no request is ever left without a leader.
 */
class ShipmentGroupCommitTest {

    private static final ThreadLocal<String> CALLER = ThreadLocal.withInitial(() -> "exporter-a");
    private static final ReservationRejectedException EXPIRED = new ReservationRejectedException(
            Reason.RESERVATION_EXPIRED, "reservation r-1 expired at 2025-06-30T00:00:00Z", "reservationId");
    private static final ReservationRejectedException MISMATCH = new ReservationRejectedException(
            Reason.RESERVATION_MISMATCH, "reservation r-2 is for consignee c-9", "consignee.id");

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** Every country's batch sent, in order, and its rows' authors at the same index. */
    private final List<RecordShipments> sent = new CopyOnWriteArrayList<>();
    private final List<List<Map<String, Object>>> authorsSent = new CopyOnWriteArrayList<>();
    /** Countries another unit of work holds, whose requests are sent alone. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Shipments sent alone, and how. */
    private final List<RecordShipment> sentAlone = new CopyOnWriteArrayList<>();
    private Function<RecordShipment, ShipmentOutcome> aloneSender = alone -> {
        throw new AssertionError("sent alone: " + alone);
    };
    /** Each commit: its countries' batches. */
    private final List<List<RecordShipments>> commits = new CopyOnWriteArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(32);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    /** A group commit whose shared commit answers each country with {@code sender}; what it throws fails that country only. */
    private ShipmentGroupCommit groupCommit(int maxBatch, Function<RecordShipments, List<BatchAnswer>> sender) {
        return groupCommit(maxBatch, batches -> batches.stream().map(batch -> {
            try {
                return new CountryAnswers(batch, sender.apply(batch.command()), null);
            } catch (RuntimeException failure) {
                return new CountryAnswers(batch, null, failure);
            }
        }).toList(), () -> { });
    }

    private ShipmentGroupCommit groupCommit(int maxBatch, Function<List<CountryBatch>, List<CountryAnswers>> commit,
                                            Runnable whenSent) {
        return new ShipmentGroupCommit(batches -> {
            synchronized (sent) {
                commits.add(batches.stream().map(CountryBatch::command).toList());
                for (CountryBatch batch : batches) {
                    sent.add(batch.command());
                    authorsSent.add(batch.authors());
                }
            }
            whenSent.run();
            return commit.apply(batches);
        }, alone -> {
            sentAlone.add(alone);
            return aloneSender.apply(alone);
        }, held::contains, ShipmentGroupCommitTest::author, maxBatch, metrics);
    }

    /** The attribution of the request on this thread, as the service takes it from its caller. */
    private static Map<String, Object> author() {
        return Map.of("principal", CALLER.get(), "requestId", Thread.currentThread().getName());
    }

    static RecordShipment shipment(String country, String id, String exporter) {
        return new RecordShipment(country, id, exporter, new Consignee("c-" + id, "C", "AE"), LocalDate.of(2025, 3, 1),
                List.of(new LineItem("TEST-CHIP", "3A090.a", 1, 1_000)), null, "hash-" + id,
                Instant.parse("2025-07-01T12:00:00Z"));
    }

    private static RecordShipment shipment(String country, String id) {
        return shipment(country, id, "exporter-a");
    }

    /** What the ledger would answer, by the id's prefix: conflict-, expired-, mismatch-, denied-, else recorded. */
    private static List<BatchAnswer> answer(RecordShipments batch) {
        return batch.shipments().stream().map(row -> {
            String id = row.shipmentId();
            if (id.startsWith("conflict-")) {
                return new BatchAnswer(null, true, true);
            }
            if (id.startsWith("expired-")) {
                return BatchAnswer.refused(EXPIRED);
            }
            if (id.startsWith("mismatch-")) {
                return BatchAnswer.refused(MISMATCH);
            }
            return new BatchAnswer(outcome(row, id.startsWith("denied-")), false, false);
        }).toList();
    }

    private static ShipmentOutcome outcome(RecordShipment row, boolean denied) {
        return denied
                ? new ShipmentOutcome(row.shipmentId(), row.country(), ShipmentOutcome.Status.DENIED, null, 1_000, 0,
                        0L, "p1", DenialReason.QUOTA_EXCEEDED, "over the cap")
                : new ShipmentOutcome(row.shipmentId(), row.country(), ShipmentOutcome.Status.RECORDED,
                        Classification.COUNTED, 1_000, 1_000, 5_000L, "p1", null, null);
    }

    private DistributionSummary sizes() {
        return metrics.get("ledger.shipment.group.commit.size").summary();
    }

    private static List<String> ids(RecordShipments batch) {
        return batch.shipments().stream().map(RecordShipment::shipmentId).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("released").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A sender whose first commit waits for {@code release} once it has signalled {@code firstSent}. */
    private ShipmentGroupCommit holdingTheFirstBatch(CountDownLatch firstSent, CountDownLatch release,
                                                     Function<RecordShipments, List<BatchAnswer>> then) {
        return groupCommit(256, batch -> {
            holdTheFirst(firstSent, release);
            return then.apply(batch);
        });
    }

    private void holdTheFirst(CountDownLatch firstSent, CountDownLatch release) {
        if (commits.size() == 1) {
            firstSent.countDown();
            awaitQuietly(release);
        }
    }

    private Future<ShipmentOutcome> submit(ShipmentGroupCommit groupCommit, RecordShipment command) {
        return clients.submit(() -> groupCommit.record(command));
    }

    /**
     * Submits a request while a commit is in flight and returns once it waits in the queue, so
     * that requests sent one after another queue in that order.
     */
    private Future<ShipmentOutcome> queued(ShipmentGroupCommit groupCommit, RecordShipment command) {
        int before = groupCommit.waiting();
        Future<ShipmentOutcome> request = submit(groupCommit, command);
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting() == before + 1);
        return request;
    }

    private static Throwable failureOf(Future<?> request) throws InterruptedException {
        try {
            request.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
        throw new AssertionError("answered, not failed");
    }

    @Test
    void aLoneRequestIsSentAloneAtOnceOnItsOwnThread() {
        Thread[] sender = new Thread[1];
        ShipmentGroupCommit groupCommit = groupCommit(256, batch -> {
            sender[0] = Thread.currentThread();
            return answer(batch);
        });

        ShipmentOutcome outcome = groupCommit.record(shipment("AE", "s1"));
        ShipmentOutcome next = groupCommit.record(shipment("AE", "s2"));

        assertThat(outcome.shipmentId()).isEqualTo("s1");
        assertThat(next.shipmentId()).isEqualTo("s2");
        assertThat(sent).containsExactly(new RecordShipments("AE", List.of(shipment("AE", "s1"))),
                new RecordShipments("AE", List.of(shipment("AE", "s2"))));
        assertThat(sender[0]).as("no thread of its own").isSameAs(Thread.currentThread());
        assertThat(groupCommit.busy()).as("idle, nothing is left behind").isFalse();
        assertThat(sizes().count()).isEqualTo(2);
        assertThat(sizes().totalAmount()).isEqualTo(2);
    }

    @Test
    void requestsArrivingWhileABatchIsInFlightAreSentTogetherInTheNext() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShipmentGroupCommit groupCommit = holdingTheFirstBatch(firstSent, release, ShipmentGroupCommitTest::answer);

        Future<ShipmentOutcome> first = submit(groupCommit, shipment("AE", "s0"));
        awaitQuietly(firstSent);
        List<Future<ShipmentOutcome>> followers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            followers.add(queued(groupCommit, shipment("AE", "s" + i)));
        }
        assertThat(sent).hasSize(1);
        assertThat(first).isNotDone();
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s0");
        for (int i = 1; i <= 4; i++) {
            assertThat(followers.get(i - 1).get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s" + i);
        }
        assertThat(sent).hasSize(2);
        assertThat(ids(sent.get(0))).containsExactly("s0");
        assertThat(ids(sent.get(1))).containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
        assertThat(authorsSent.get(1)).as("each row with its own request's attribution")
                .extracting(author -> author.get("requestId")).doesNotHaveDuplicates().hasSize(4);
        assertThat(sizes().count()).isEqualTo(2);
        assertThat(sizes().totalAmount()).isEqualTo(5);
        assertThat(sizes().max()).isEqualTo(4);
        assertThat(groupCommit.busy()).isFalse();
    }

    @Test
    void eachCallerGetsItsOwnRowAnsweredAsALoneRequestWouldBe() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShipmentGroupCommit groupCommit = holdingTheFirstBatch(firstSent, release, ShipmentGroupCommitTest::answer);
        Future<ShipmentOutcome> first = submit(groupCommit, shipment("AE", "s0"));
        awaitQuietly(firstSent);

        Future<ShipmentOutcome> recorded = queued(groupCommit, shipment("AE", "recorded-1"));
        Future<ShipmentOutcome> conflict = queued(groupCommit, shipment("AE", "conflict-2"));
        Future<ShipmentOutcome> expired = queued(groupCommit, shipment("AE", "expired-3"));
        Future<ShipmentOutcome> denied = queued(groupCommit, shipment("AE", "denied-4"));
        Future<ShipmentOutcome> mismatch = queued(groupCommit, shipment("AE", "mismatch-5"));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(ShipmentOutcome.Status.RECORDED);
        ShipmentOutcome recordedOutcome = recorded.get(10, TimeUnit.SECONDS);
        assertThat(recordedOutcome.shipmentId()).isEqualTo("recorded-1");
        assertThat(recordedOutcome.status()).isEqualTo(ShipmentOutcome.Status.RECORDED);
        ShipmentOutcome deniedOutcome = denied.get(10, TimeUnit.SECONDS);
        assertThat(deniedOutcome.shipmentId()).isEqualTo("denied-4");
        assertThat(deniedOutcome.status()).isEqualTo(ShipmentOutcome.Status.DENIED);

        ShipmentConflictException alone = new ShipmentConflictException("conflict-2");
        assertThat(failureOf(conflict)).isInstanceOfSatisfying(ShipmentConflictException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).isEqualTo(alone.getMessage());
            assertThat(e.problems()).isEqualTo(alone.problems());
        });
        for (var refused : List.of(Map.entry(expired, EXPIRED), Map.entry(mismatch, MISMATCH))) {
            ReservationRejectedException single = refused.getValue();
            assertThat(failureOf(refused.getKey())).isInstanceOfSatisfying(ReservationRejectedException.class, e -> {
                assertThat(e.status()).isEqualTo(single.status());
                assertThat(e.reason()).isEqualTo(single.reason());
                assertThat(e.getMessage()).isEqualTo(single.getMessage());
                assertThat(e.problems()).isEqualTo(single.problems());
            });
        }
        assertThat(MISMATCH.status()).as("the reasons differ in status, so the mapping is exercised").isEqualTo(422);
        assertThat(sent).hasSize(2);
    }

    @Test
    void requestsToSeveralCountriesShareOneCommitWithOneBatchPerCountry() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShipmentGroupCommit groupCommit = holdingTheFirstBatch(firstSent, release, ShipmentGroupCommitTest::answer);
        Future<ShipmentOutcome> first = submit(groupCommit, shipment("AE", "s0"));
        awaitQuietly(firstSent);

        Map<String, Future<ShipmentOutcome>> followers = new LinkedHashMap<>();
        for (String[] request : new String[][] {{"AE", "a1"}, {"BR", "b1"}, {"AE", "a2"}, {"SA", "denied-c1"}}) {
            followers.put(request[1], queued(groupCommit, shipment(request[0], request[1])));
        }
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s0");
        for (Map.Entry<String, Future<ShipmentOutcome>> follower : followers.entrySet()) {
            assertThat(follower.getValue().get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo(follower.getKey());
        }
        assertThat(followers.get("denied-c1").get().status()).isEqualTo(ShipmentOutcome.Status.DENIED);
        assertThat(commits).hasSize(2);
        assertThat(commits.get(1)).as("one batch per country, rows in the order they came")
                .containsExactly(new RecordShipments("AE", List.of(shipment("AE", "a1"), shipment("AE", "a2"))),
                        new RecordShipments("BR", List.of(shipment("BR", "b1"))),
                        new RecordShipments("SA", List.of(shipment("SA", "denied-c1"))));
        DistributionSummary countries = metrics.get("ledger.shipment.group.commit.countries").summary();
        assertThat(countries.count()).isEqualTo(2);
        assertThat(countries.max()).isEqualTo(3);
        assertThat(sizes().max()).isEqualTo(4);
        assertThat(groupCommit.busy()).isFalse();
    }

    @Test
    void aFailedCountryFailsOnlyItsOwnCallers() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RuntimeException databaseDown = new IllegalStateException("the database is down");
        ShipmentGroupCommit groupCommit = holdingTheFirstBatch(firstSent, release, batch -> {
            if (ids(batch).contains("s1")) {
                throw databaseDown;
            }
            return answer(batch);
        });
        Future<ShipmentOutcome> first = submit(groupCommit, shipment("AE", "s0"));
        awaitQuietly(firstSent);
        Future<ShipmentOutcome> failing = queued(groupCommit, shipment("AE", "s1"));
        Future<ShipmentOutcome> otherCountry = queued(groupCommit, shipment("BR", "b1"));
        Future<ShipmentOutcome> alsoFailing = queued(groupCommit, shipment("AE", "s2"));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s0");
        assertThat(failureOf(failing)).isSameAs(databaseDown);
        assertThat(failureOf(alsoFailing)).isSameAs(databaseDown);
        assertThat(otherCountry.get(10, TimeUnit.SECONDS).shipmentId()).as("BR is not AE's failure").isEqualTo("b1");
        assertThat(commits.get(1)).extracting(RecordShipments::country).containsExactly("AE", "BR");
        assertThat(groupCommit.record(shipment("AE", "s3")).shipmentId())
                .as("the next request leads at once after a failure").isEqualTo("s3");
        assertThat(sizes().count()).as("commits with something decided").isEqualTo(3);
        assertThat(sizes().totalAmount()).as("AE's failed rows are not counted").isEqualTo(3);

        RecordShipment leaderAlone = shipment("AE", "s1");
        assertThatThrownBy(() -> groupCommit.record(leaderAlone)).isSameAs(databaseDown);
        assertThat(groupCommit.busy()).isFalse();
    }

    @Test
    void aFailedCommitFailsEveryCallerInItAndNoOther() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RuntimeException broken = new IllegalStateException("the commit itself broke");
        ShipmentGroupCommit groupCommit = groupCommit(256, batches -> {
            if (commits.size() == 2) {
                throw broken;
            }
            return batches.stream().map(batch -> new CountryAnswers(batch, answer(batch.command()), null)).toList();
        }, () -> holdTheFirst(firstSent, release));
        Future<ShipmentOutcome> first = submit(groupCommit, shipment("AE", "s0"));
        awaitQuietly(firstSent);
        Future<ShipmentOutcome> ae = queued(groupCommit, shipment("AE", "s1"));
        Future<ShipmentOutcome> br = queued(groupCommit, shipment("BR", "b1"));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s0");
        assertThat(failureOf(ae)).isSameAs(broken);
        assertThat(failureOf(br)).isSameAs(broken);
        assertThat(groupCommit.record(shipment("BR", "b2")).shipmentId()).isEqualTo("b2");
        assertThat(sizes().count()).isEqualTo(2);
        assertThat(groupCommit.busy()).isFalse();
    }

    @Test
    void aCountryHeldByAnotherUnitOfWorkIsSentAloneOnItsOwnThreadAndHoldsUpNoOtherCountry() throws Exception {
        held.add("BR");
        CountDownLatch brazilWaiting = new CountDownLatch(1);
        CountDownLatch importEnds = new CountDownLatch(1);
        aloneSender = alone -> {
            brazilWaiting.countDown();
            awaitQuietly(importEnds); // as the aggregate lock the import holds would make it wait
            return outcome(alone, false);
        };
        ShipmentGroupCommit groupCommit = groupCommit(256, ShipmentGroupCommitTest::answer);

        Future<ShipmentOutcome> brazil = submit(groupCommit, shipment("BR", "b1"));
        awaitQuietly(brazilWaiting);
        ShipmentOutcome emirates = groupCommit.record(shipment("AE", "a1"));

        assertThat(emirates.shipmentId()).as("answered while Brazil still waits").isEqualTo("a1");
        assertThat(brazil).isNotDone();
        importEnds.countDown();
        assertThat(brazil.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("b1");
        assertThat(sentAlone).containsExactly(shipment("BR", "b1"));
        assertThat(commits).containsExactly(List.of(new RecordShipments("AE", List.of(shipment("AE", "a1")))));

        // A follower to a held country is told to send alone too, and the rest of its batch goes on.
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, String> sentAloneBy = new ConcurrentHashMap<>();
        aloneSender = alone -> {
            sentAloneBy.put(alone.shipmentId(), Thread.currentThread().getName());
            return outcome(alone, false);
        };
        commits.clear();
        ShipmentGroupCommit another = holdingTheFirstBatch(firstSent, release, ShipmentGroupCommitTest::answer);
        Future<ShipmentOutcome> first = submit(another, shipment("AE", "s0"));
        awaitQuietly(firstSent);
        String[] followerThread = new String[1];
        Future<ShipmentOutcome> heldFollower = clients.submit(() -> {
            followerThread[0] = Thread.currentThread().getName();
            return another.record(shipment("BR", "b2"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> another.waiting() == 1);
        Future<ShipmentOutcome> freeFollower = queued(another, shipment("SA", "c2"));
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("s0");
        assertThat(heldFollower.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("b2");
        assertThat(freeFollower.get(10, TimeUnit.SECONDS).shipmentId()).isEqualTo("c2");
        assertThat(sentAlone).containsExactly(shipment("BR", "b1"), shipment("BR", "b2"));
        assertThat(sentAloneBy.get("b2")).as("sent by the follower's own thread, not the leader's")
                .isEqualTo(followerThread[0]);
        assertThat(commits.get(1)).containsExactly(new RecordShipments("SA", List.of(shipment("SA", "c2"))));
        assertThat(another.busy()).isFalse();
    }

    @Test
    void oneTurnsItOffAndSendsTheSingleCommand() {
        List<RecordShipment> alone = new CopyOnWriteArrayList<>();
        ShipmentGroupCommit off = new ShipmentGroupCommit(batches -> {
            throw new AssertionError("batched: " + batches);
        }, command -> {
            alone.add(command);
            return outcome(command, false);
        }, country -> false, ShipmentGroupCommitTest::author, 1, metrics);

        assertThat(off.record(shipment("AE", "s1")).shipmentId()).isEqualTo("s1");
        assertThat(alone).containsExactly(shipment("AE", "s1"));
        assertThat(sizes().count()).isEqualTo(1);
        assertThatThrownBy(() -> new ShipmentGroupCommit(batches -> List.of(), command -> null, country -> false,
                ShipmentGroupCommitTest::author, 0, metrics))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void underConcurrencyEveryRequestIsSentOnceAndAnsweredAndNoneIsStranded() throws Exception {
        int threads = 32;
        int perThread = 200;
        int maxBatch = 8;
        List<String> countries = List.of("AE", "SA", "BR");
        Map<String, AtomicInteger> timesSent = new ConcurrentHashMap<>();
        ShipmentGroupCommit groupCommit = groupCommit(maxBatch, batch -> {
            batch.shipments().forEach(row -> timesSent.computeIfAbsent(row.shipmentId(), id -> new AtomicInteger())
                    .incrementAndGet());
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return answer(batch);
        });
        List<String> wrongAnswers = new CopyOnWriteArrayList<>();
        List<Future<?>> clientsDone = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int client = t;
            clientsDone.add(clients.submit(() -> {
                String exporter = client % 2 == 0 ? "exporter-a" : "exporter-b";
                CALLER.set(exporter);
                for (int n = 0; n < perThread; n++) {
                    String id = client + "-" + n;
                    ShipmentOutcome outcome = groupCommit.record(
                            shipment(countries.get((client + n) % countries.size()), id, exporter));
                    if (!outcome.shipmentId().equals(id)) {
                        wrongAnswers.add(id + " got " + outcome.shipmentId());
                    }
                }
            }));
        }
        for (Future<?> client : clientsDone) {
            client.get(120, TimeUnit.SECONDS);
        }

        int requests = threads * perThread;
        assertThat(wrongAnswers).isEmpty();
        assertThat(timesSent).hasSize(requests);
        assertThat(timesSent.values()).allMatch(times -> times.get() == 1);
        assertThat(commits.size()).as("commits").isLessThan(requests);
        int mixed = 0;
        for (int b = 0; b < sent.size(); b++) {
            RecordShipments batch = sent.get(b);
            List<Map<String, Object>> authors = authorsSent.get(b);
            assertThat(batch.shipments()).hasSizeBetween(1, maxBatch)
                    .allMatch(row -> row.country().equals(batch.country()));
            assertThat(authors).hasSameSizeAs(batch.shipments());
            for (int row = 0; row < authors.size(); row++) {
                assertThat(authors.get(row).get("principal")).as("each row's own author, not the leader's")
                        .isEqualTo(batch.shipments().get(row).exporterId());
            }
            mixed += new HashSet<>(batch.shipments().stream().map(RecordShipment::exporterId).toList()).size() > 1 ? 1 : 0;
        }
        int severalCountries = 0;
        for (List<RecordShipments> commit : commits) {
            assertThat(commit.stream().mapToInt(batch -> batch.shipments().size()).sum()).isBetween(1, maxBatch);
            assertThat(commit).extracting(RecordShipments::country).as("one batch per country").doesNotHaveDuplicates();
            severalCountries += commit.size() > 1 ? 1 : 0;
        }
        assertThat(severalCountries).as("commits shared by several countries").isPositive();
        assertThat(sizes().count()).isEqualTo(commits.size());
        assertThat(sizes().totalAmount()).isEqualTo(requests);
        assertThat(groupCommit.busy()).isFalse();
        assertThat(groupCommit.waiting()).isZero();
        System.out.printf("GROUP COMMIT UNIT: %d requests in %d commits of %d country batches (largest %.0f, %d "
                + "with several countries, %d batches with two callers)%n", requests, commits.size(), sent.size(),
                sizes().max(), severalCountries, mixed);
    }
}
