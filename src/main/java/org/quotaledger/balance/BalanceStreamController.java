package org.quotaledger.balance;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.security.Caller;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Every balance change as it happens, as Server-Sent Events over an Axon subscription query on
 * {@link FindAllBalances}. The first event ({@code snapshot}) holds every country's balance; each
 * later one ({@code balance}) one country's balance as the projection wrote it. Events carry
 * increasing ids; a client that reconnects (with or without {@code Last-Event-ID}) gets a fresh
 * snapshot, so it never needs what it missed. A comment every {@code heartbeat} keeps proxies from
 * closing the stream and finds clients that went away; after {@code timeout} the stream ends and
 * clients reconnect. Each user may hold {@code max-per-user} streams open at once ({@link StreamPermits}).
 */
@RestController
class BalanceStreamController {

    static final String PATH = "/api/v1/balances/stream";
    /** The same stream for the signed-in browser session of the dashboard (an EventSource sends no credentials). */
    static final String BROWSER_PATH = "/dashboard/balances/stream";

    private final QueryGateway queries;
    private final StreamPermits permits;
    private final Duration timeout;
    private final Duration heartbeat;

    BalanceStreamController(QueryGateway queries, StreamPermits permits,
                            @Value("${quota-ledger.balance-stream.timeout:30m}") Duration timeout,
                            @Value("${quota-ledger.balance-stream.heartbeat:15s}") Duration heartbeat) {
        this.queries = queries;
        this.permits = permits;
        this.timeout = timeout;
        this.heartbeat = heartbeat;
    }

    @GetMapping(path = {PATH, BROWSER_PATH}, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() {
        Runnable release = permits.acquire(Caller.current().name()); // 429 beyond the user's limit
        try {
            return stream(release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    private SseEmitter stream(Runnable release) {
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        SubscriptionQueryResult<BalanceList, CountryBalance> result = queries.subscriptionQuery(new FindAllBalances(),
                ResponseTypes.instanceOf(BalanceList.class), ResponseTypes.instanceOf(CountryBalance.class));
        AtomicLong ids = new AtomicLong();

        // Snapshot first, then the updates Axon buffered meanwhile, sent off the projection's threads.
        Disposable events = result.initialResult()
                .map(snapshot -> event(ids, "snapshot", snapshot).reconnectTime(2_000))
                .concatWith(result.updates().map(update -> event(ids, "balance", update)))
                .publishOn(Schedulers.boundedElastic())
                .subscribe(event -> send(emitter, event), emitter::completeWithError, emitter::complete);
        Disposable keepAlive = Flux.interval(heartbeat, heartbeat)
                .subscribe(tick -> send(emitter, SseEmitter.event().comment("keep-alive")));

        Runnable stop = () -> {
            keepAlive.dispose();
            events.dispose();
            result.cancel();
            release.run();
        };
        emitter.onCompletion(stop);
        emitter.onError(error -> stop.run());
        emitter.onTimeout(() -> {
            stop.run();
            emitter.complete();
        });
        return emitter;
    }

    private static SseEmitter.SseEventBuilder event(AtomicLong ids, String name, Object data) {
        return SseEmitter.event().id(Long.toString(ids.incrementAndGet())).name(name)
                .data(data, MediaType.APPLICATION_JSON);
    }

    /** A client that went away ends the stream, and so its subscription. */
    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException gone) {
            emitter.completeWithError(gone);
        }
    }
}
