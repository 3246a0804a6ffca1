package org.quotaledger.balance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.quotaledger.infra.RequestRejectedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How many balance streams each user holds open. Every stream holds a connection, a subscription
 * and a thread's share of the projection's updates for as long as half an hour, so one user (or a
 * leaked token) may open only {@code max-per-user} at once; a stream gives its permit back when it
 * ends, however it ends.
 */
@Component
class StreamPermits {

    static final class TooManyStreamsException extends RequestRejectedException {
        TooManyStreamsException(int limit) {
            super(429, "at most " + limit + " balance streams may be open at once per user; close one first",
                    List.of());
        }
    }

    private final int maxPerUser;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    StreamPermits(@Value("${quota-ledger.balance-stream.max-per-user:5}") int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** Takes one of the user's permits, or refuses with 429; the answer gives it back, once, when run. */
    Runnable acquire(String user) {
        boolean[] granted = {false};
        open.compute(user, (name, count) -> {
            int held = count == null ? 0 : count;
            if (held >= maxPerUser) {
                return count;
            }
            granted[0] = true;
            return held + 1;
        });
        if (!granted[0]) {
            throw new TooManyStreamsException(maxPerUser);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    /** Streams the user holds open now. */
    int held(String user) {
        return open.getOrDefault(user, 0);
    }
}
