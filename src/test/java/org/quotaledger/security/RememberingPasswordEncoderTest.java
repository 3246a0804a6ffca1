package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
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
        HeldOpenRounds heldOpen = new HeldOpenRounds(bcrypt::matches);
        RememberingPasswordEncoder shared = new RememberingPasswordEncoder(heldOpen);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            Future<Boolean> first = callers.submit(() -> shared.matches("alice-secret", aliceHash));
            assertThat(heldOpen.started.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> meanwhile = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                meanwhile.add(callers.submit(() -> shared.matches("alice-secret", aliceHash)));
            }
            // A different guess for the same hash is not the same round: it gets its own.
            Future<Boolean> guess = callers.submit(() -> shared.matches("alice-guess", aliceHash));
            Thread.sleep(200); // the six are parked on the running round (or come after it and find it proven)
            heldOpen.release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            for (Future<Boolean> answer : meanwhile) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(guess.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(heldOpen.rounds).hasValue(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aRequestWaitingOnAFailedRoundGetsTheSameFailure() throws Exception {
        HeldOpenRounds heldOpen = new HeldOpenRounds((raw, encoded) -> {
            throw new IllegalArgumentException("Encoded password does not look like BCrypt");
        });
        RememberingPasswordEncoder shared = new RememberingPasswordEncoder(heldOpen);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = callers.submit(() -> shared.matches("alice-secret", "not-a-hash"));
            assertThat(heldOpen.started.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> waiting = callers.submit(() -> shared.matches("alice-secret", "not-a-hash"));
            Thread.sleep(200);
            heldOpen.release.countDown();

            for (Future<Boolean> answer : List.of(first, waiting)) {
                assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("Encoded password does not look like BCrypt");
            }
            assertThat(heldOpen.rounds).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    /** A slow encoder whose rounds wait, once started, until the test releases them. */
    private static final class HeldOpenRounds implements PasswordEncoder {
        final AtomicInteger rounds = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final java.util.function.BiPredicate<CharSequence, String> check;

        HeldOpenRounds(java.util.function.BiPredicate<CharSequence, String> check) {
            this.check = check;
        }

        @Override
        public String encode(CharSequence raw) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            rounds.incrementAndGet();
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return check.test(raw, encoded);
        }
    }
}
