package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class RememberingPasswordEncoderTest {

    private final AtomicInteger bcryptChecks = new AtomicInteger();
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    private final PasswordEncoder counted = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            bcryptChecks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    private final RememberingPasswordEncoder encoder = new RememberingPasswordEncoder(counted);
    private final String aliceHash = bcrypt.encode("alice-secret");
    private final String bobHash = bcrypt.encode("bob-secret");

    @Test
    void aProvenPasswordIsCheckedWithBcryptOnceThenRemembered() {
        assertThat(encoder.matches("alice-secret", aliceHash)).isTrue();
        assertThat(encoder.matches("alice-secret", aliceHash)).isTrue();
        assertThat(encoder.matches("alice-secret", aliceHash)).isTrue();

        assertThat(bcryptChecks).hasValue(1);
    }

    @Test
    void aWrongPasswordPaysBcryptEveryTimeAndNeverMatches() {
        encoder.matches("alice-secret", aliceHash);

        assertThat(encoder.matches("alice-guess", aliceHash)).isFalse();
        assertThat(encoder.matches("alice-guess", aliceHash)).isFalse();
        assertThat(bcryptChecks).hasValue(3);
    }

    @Test
    void aPasswordProvenForOneHashProvesNothingForAnother() {
        assertThat(encoder.matches("alice-secret", aliceHash)).isTrue();

        assertThat(encoder.matches("alice-secret", bobHash)).isFalse();
        assertThat(encoder.matches("bob-secret", bobHash)).isTrue();
        assertThat(encoder.matches("bob-secret", bobHash)).isTrue();
        assertThat(bcryptChecks).hasValue(3);
    }

    @Test
    void aMissingHashIsLeftToBcryptAndNeverRemembered() {
        assertThat(encoder.matches("alice-secret", null)).isFalse();
        assertThat(encoder.matches("alice-secret", null)).isFalse();
        assertThat(bcryptChecks).hasValue(2);
    }

    @Test
    void requestsPresentingTheSamePasswordMeanwhileWaitForTheRunningRound() throws Exception {
        CountDownLatch roundStarted = new CountDownLatch(1);
        CountDownLatch othersWaiting = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        PasswordEncoder heldOpen = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return bcrypt.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                rounds.incrementAndGet();
                roundStarted.countDown();
                try {
                    othersWaiting.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return bcrypt.matches(raw, encoded);
            }
        };
        RememberingPasswordEncoder shared = new RememberingPasswordEncoder(heldOpen);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            Future<Boolean> first = callers.submit(() -> shared.matches("alice-secret", aliceHash));
            assertThat(roundStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> meanwhile = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                meanwhile.add(callers.submit(() -> shared.matches("alice-secret", aliceHash)));
            }
            // A different guess for the same hash is not the same round: it gets its own.
            Future<Boolean> guess = callers.submit(() -> shared.matches("alice-guess", aliceHash));
            Thread.sleep(200); // the six are parked on the running round (or come after it and find it proven)
            othersWaiting.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            for (Future<Boolean> answer : meanwhile) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(guess.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(rounds).hasValue(2);
        } finally {
            callers.shutdownNow();
        }
    }
}
