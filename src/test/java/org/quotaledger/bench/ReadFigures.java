package org.quotaledger.bench;

import static org.quotaledger.bench.LedgerBenchmark.log;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import org.quotaledger.bench.Figure.Target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Figure 6 of issue 8: balance reads under many readers, and the balance stream's delay to many subscribers. */
final class ReadFigures {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shares of the unpaused readers' reads/s that the paced readers ask for together. */
    private static final List<Double> PACED_SHARES = List.of(0.25, 0.5, 0.75);

    private final LedgerBenchmark bench;
    private final SuiteSettings sizes;
    private final BenchHttp http;
    private final Wrk wrk;
    private final MemoryWatch memory;
    private final List<Figure> figures;

    ReadFigures(LedgerBenchmark bench, SuiteSettings sizes, BenchHttp http, Wrk wrk, MemoryWatch memory, List<Figure> figures) {
        this.bench = bench;
        this.sizes = sizes;
        this.http = http;
        this.wrk = wrk;
        this.memory = memory;
        this.figures = figures;
    }

    /**
     * 6a. GET /api/v1/balances/{country} from {@code readers} connections, round the Tier 2
     * countries: p99. From wrk (the figure, since the thirteenth round), then from the suite's
     * client in the service's JVM, as the write figures do.
     */
    void balanceReads() throws Exception {
        List<String> paths = bench.tier2Countries().stream().map(country -> "/api/v1/balances/" + country).toList();
        InProcessLoad.warmUp(sizes, i -> http.get(LedgerBenchmark.REGULATOR, paths.get(i % paths.size())).statusCode());
        memory.start();
        CpuWindow cpu = CpuWindow.start();
        Wrk.Run run = wrk.get(http.base(), http.authorization(LedgerBenchmark.REGULATOR), paths, sizes.readers(),
                sizes.wrkSeconds());
        CpuWindow.Use used = cpu.stop();
        MemoryWatch.Usage usage = memory.stop();
        run.requireOnly("balance reads", 200);
        long reads = run.count(200);
        figures.add(new Figure("6 balance read p99, " + sizes.readers() + " wrk connections", run.p99Millis(), "ms", null,
                null, Target.valueAtMost(5)));
        figures.add(new Figure("  6 balance read p50 (wrk)", run.p50Millis(), "ms", null, null));
        // Little's law: with every reader always waiting on a read, the mean latency is readers
        // over throughput, so a p99 within 5 ms needs at least readers / 5 ms reads per second.
        String littlesLaw = "reads/s a 5 ms mean would need (readers / 5 ms)";
        figures.add(new Figure("  6 balance reads/s (wrk)", run.perSecond(200), "reads/s", sizes.readers() / 0.005, littlesLaw));
        figures.add(new Figure("  6 balance read: CPU per read, the service's JVM", used.jvmMillisPer(reads), "ms", null, null));
        if (used.postgresVisible()) {
            figures.add(new Figure("  6 balance read: CPU per read, PostgreSQL", used.postgresMillisPer(reads), "ms", null, null));
        }
        figures.add(Figure.memory("reads", usage));
        pacedReads(paths, run.perSecond(200));
        readFloor(littlesLaw);
        InProcessLoad.Load load = InProcessLoad.concurrently(sizes.readers() * sizes.readsPerReader(), sizes.readers(), i -> {
            int status = http.get(LedgerBenchmark.REGULATOR, paths.get(i % paths.size())).statusCode();
            if (status != 200) {
                throw new IllegalStateException("balance read: HTTP " + status);
            }
            return status;
        });
        figures.add(new Figure("  6 balance read p99, the suite's Java client in the service's JVM",
                load.latencies().percentileMillis(99), "ms", null, null));
        figures.add(new Figure("  6 balance read p50 (Java client)", load.latencies().percentileMillis(50), "ms", null, null));
        figures.add(new Figure("  6 balance reads/s (Java client)", load.perSecond(), "reads/s", sizes.readers() / 0.005,
                littlesLaw));
    }

    /**
     * The same readers when each pauses between reads, so that together they ask for a share of
     * the reads/s they reached without pausing: the latency a reader sees below saturation. Not
     * figure 6, whose readers never pause (so its p99 is readers over throughput, Little's law);
     * this says how much load the service answers within a few milliseconds.
     */
    private void pacedReads(List<String> paths, double saturatedPerSecond) throws Exception {
        for (double share : PACED_SHARES) {
            long meanPauseMillis = Math.round(sizes.readers() * 1000 / (share * saturatedPerSecond));
            Wrk.Run run = wrk.getPaced(http.base(), http.authorization(LedgerBenchmark.REGULATOR), paths, sizes.readers(),
                    sizes.wrkSeconds(), meanPauseMillis);
            run.requireOnly("paced balance reads", 200);
            double asked = sizes.readers() * 1000.0 / meanPauseMillis;
            if (run.perSecond(200) > 1.5 * asked) {
                // Pauses add to each reader's cycle, so the readers can only fall short of it.
                throw new IllegalStateException(String.format(Locale.ROOT, "paced readers read %.0f/s, more than the "
                        + "%.0f/s their pauses allow: wrk did not pause", run.perSecond(200), asked));
            }
            String readers = String.format(Locale.ROOT, "  6 balance read, %d readers pausing %d ms on average (%.0f %% of "
                    + "the reads/s above)", sizes.readers(), meanPauseMillis, share * 100);
            figures.add(new Figure(readers + ": p99", run.p99Millis(), "ms", null, null));
            figures.add(new Figure(readers + ": p50", run.p50Millis(), "ms", null, null));
            figures.add(new Figure(readers + ": reads/s", run.perSecond(200), "reads/s", null, null));
        }
    }

    /**
     * What the service's HTTP path costs a read that does nothing: GETs of chip models, which the
     * catalog answers from memory, through the same Tomcat, filters, sign-in, Spring MVC and Jackson
     * as a balance read, from as many wrk connections. Its reads/s bound what any balance read
     * could reach on this machine. The balance reads just before warmed the shared path; a few
     * seconds of the same GETs warm the rest before the timed run.
     */
    private void readFloor(String littlesLaw) throws Exception {
        List<String> paths = List.of("/api/v1/catalog/H100", "/api/v1/catalog/H20", "/api/v1/catalog/B200",
                "/api/v1/catalog/MI300X");
        String authorization = http.authorization(LedgerBenchmark.REGULATOR);
        wrk.get(http.base(), authorization, paths, sizes.readers(), Math.min(5, sizes.wrkSeconds()));
        CpuWindow cpu = CpuWindow.start();
        Wrk.Run run = wrk.get(http.base(), authorization, paths, sizes.readers(), sizes.wrkSeconds());
        CpuWindow.Use used = cpu.stop();
        run.requireOnly("chip model reads", 200);
        figures.add(new Figure("  6 read floor: chip models from memory, reads/s (wrk)", run.perSecond(200), "reads/s",
                sizes.readers() / 0.005, littlesLaw));
        figures.add(new Figure("  6 read floor (wrk): latency p99", run.p99Millis(), "ms", null, null));
        figures.add(new Figure("  6 read floor: CPU per read, the service's JVM", used.jvmMillisPer(run.count(200)), "ms",
                null, null));
    }

    /**
     * 6b. {@code subscribers} clients on GET /api/v1/balances/stream; then {@code streamCommands}
     * shipments, one after another, each timed from the moment it is sent until its balance event
     * reached each subscriber (so the delay includes the command itself: an upper bound of
     * commit-to-subscriber). Answers the deliveries that never came.
     */
    long streamDelay() throws Exception {
        String country = bench.tier2Countries().get(0);
        long recordedBefore = recorded(country);
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        Latencies delays = new Latencies();
        AtomicInteger subscribed = new AtomicInteger();
        List<Subscriber> subscribers = new ArrayList<>();
        memory.start();
        for (int s = 0; s < sizes.subscribers(); s++) {
            Subscriber subscriber = new Subscriber(country, sentAt, delays, subscribed);
            subscribers.add(subscriber);
            HttpRequest request = http.request(LedgerBenchmark.REGULATOR, "/api/v1/balances/stream")
                    .timeout(java.time.Duration.ofHours(1)).header("Accept", "text/event-stream").GET().build();
            CompletableFuture<HttpResponse<Void>> response = http.client()
                    .sendAsync(request, HttpResponse.BodyHandlers.fromSubscriber(new LineSplitter(subscriber)));
            response.whenComplete((done, failure) -> {
                if (done != null && done.statusCode() != 200) {
                    log("stream subscriber: HTTP %d", done.statusCode());
                }
            });
        }
        bench.await(sizes.subscribers() + " stream subscribers to get their snapshot",
                () -> subscribed.get() == sizes.subscribers() || subscribers.stream().anyMatch(Subscriber::endedUnsubscribed));
        long failed = subscribers.stream().filter(Subscriber::endedUnsubscribed).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " stream subscribers' streams ended before their snapshot");
        }
        log("%d subscribers on the balance stream", sizes.subscribers());
        for (int i = 0; i < sizes.streamCommands(); i++) {
            sentAt.put(recordedBefore + i + 1, System.nanoTime());
            if (http.recordShipment("stream", i + 1, country) != 201) {
                throw new IllegalStateException("stream shipment " + i + " was denied");
            }
        }
        long expected = (long) sizes.subscribers() * sizes.streamCommands();
        try {
            bench.await("every subscriber to see every shipment", () -> delays.count() >= expected);
        } catch (IllegalStateException timedOut) {
            log("%s", timedOut.getMessage());
        }
        long missing = expected - delays.count();
        subscribers.forEach(Subscriber::cancel);
        MemoryWatch.Usage usage = memory.stop();
        figures.add(new Figure("6 stream delay p99, " + sizes.subscribers() + " subscribers", delays.percentileMillis(99),
                "ms", null, null, Target.valueAtMost(500)));
        figures.add(new Figure("  6 stream delay p50", delays.percentileMillis(50), "ms", null, null));
        figures.add(new Figure("  6 stream deliveries missing", missing, "", null, null));
        figures.add(Figure.memory("stream", usage));
        return missing;
    }

    private long recorded(String country) {
        return bench.jdbc().queryForObject("SELECT shipments_recorded FROM country_balance WHERE country = ?",
                Long.class, country);
    }

    /** One stream client: counts its snapshot, then times each balance event of the country against its send. */
    private static final class Subscriber implements Flow.Subscriber<String> {
        private final String country;
        private final Map<Long, Long> sentAt;
        private final Latencies delays;
        private final AtomicInteger subscribed;
        private volatile Flow.Subscription subscription;
        private volatile boolean snapshot;
        private volatile boolean ended;
        private String event = "";
        private long lastSeen = -1;

        Subscriber(String country, Map<Long, Long> sentAt, Latencies delays, AtomicInteger subscribed) {
            this.country = country;
            this.sentAt = sentAt;
            this.delays = delays;
            this.subscribed = subscribed;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (line.startsWith("event:")) {
                event = line.substring("event:".length()).trim();
            } else if (line.startsWith("data:")) {
                if (event.equals("snapshot")) {
                    snapshot = true;
                    subscribed.incrementAndGet();
                } else if (event.equals("balance")) {
                    balance(line.substring("data:".length()), now);
                }
            }
        }

        private void balance(String json, long now) {
            try {
                JsonNode balance = JSON.readTree(json);
                if (!country.equals(balance.path("country").asText())) {
                    return;
                }
                // A balance event may carry several shipments (the projection works in batches):
                // each is delivered with the first event that includes it.
                long count = balance.path("shipmentsRecorded").asLong();
                for (long shipment = Math.max(lastSeen + 1, count - sentAt.size()); shipment <= count; shipment++) {
                    Long sent = sentAt.get(shipment);
                    if (sent != null) {
                        delays.add(now - sent);
                    }
                }
                lastSeen = Math.max(lastSeen, count);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable balance event: " + json, e);
            }
        }

        void cancel() {
            if (subscription != null) {
                subscription.cancel();
            }
        }

        /** The stream ended before it sent its snapshot: the service failed it. */
        boolean endedUnsubscribed() {
            return ended && !snapshot;
        }

        @Override
        public void onError(Throwable throwable) {
            // A cancelled stream ends this way too; missing deliveries are counted instead.
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }
    }
}
