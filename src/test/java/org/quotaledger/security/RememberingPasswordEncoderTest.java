package org.quotaledger.security;

import static org.assertj.core.api.Assertions.assertThat;

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
}
