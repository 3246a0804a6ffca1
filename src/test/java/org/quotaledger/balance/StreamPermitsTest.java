package org.quotaledger.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamPermitsTest {

    private final StreamPermits permits = new StreamPermits(2);

    @Test
    void aUserGetsAsManyStreamsAsTheLimitAndThenA429() {
        permits.acquire("alice");
        permits.acquire("alice");

        assertThatThrownBy(() -> permits.acquire("alice"))
                .isInstanceOf(StreamPermits.TooManyStreamsException.class)
                .hasMessage("at most 2 balance streams may be open at once per user; close one first")
                .extracting(e -> ((StreamPermits.TooManyStreamsException) e).status()).isEqualTo(429);
        assertThat(permits.held("alice")).isEqualTo(2);
    }

    @Test
    void eachUserHasALimitOfItsOwn() {
        permits.acquire("alice");
        permits.acquire("alice");

        permits.acquire("bob");

        assertThat(permits.held("bob")).isEqualTo(1);
    }

    @Test
    void aClosedStreamGivesItsPermitBackOnceHoweverOftenItEnds() {
        Runnable first = permits.acquire("alice");
        permits.acquire("alice");

        first.run();
        first.run(); // completion after a timeout, say: still one permit back

        assertThat(permits.held("alice")).isEqualTo(1);
        permits.acquire("alice");
        assertThat(permits.held("alice")).isEqualTo(2);
    }
}
