package org.quotaledger.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * On the {@code postgres} (production) profile, refuses to start with the documented demo users,
 * or with no way to authenticate at all, and says why.
 */
@Component
@Profile("postgres")
class SecurityStartupCheck {

    /** The password every documented demo user of the embedded profile has (see the README). */
    static final String DEMO_PASSWORD = "quota-ledger-demo";

    SecurityStartupCheck(SecuritySettings settings, PasswordEncoder encoder, ObjectProvider<JwtDecoder> jwtDecoder) {
        List<String> demoUsers = new ArrayList<>();
        for (SecuritySettings.ConfiguredUser user : settings.users()) {
            if (user.passwordHash() == null || encoder.matches(DEMO_PASSWORD, user.passwordHash())) {
                demoUsers.add(user.username());
            }
        }
        if (!demoUsers.isEmpty()) {
            throw new IllegalStateException("The postgres profile refuses to start: users " + demoUsers
                    + " have the documented demo password (or none). Give them their own bcrypt hashes in"
                    + " quota-ledger.security.users, or remove them and use a JWT issuer.");
        }
        if (settings.users().isEmpty() && jwtDecoder.getIfAvailable() == null) {
            throw new IllegalStateException("The postgres profile refuses to start: no authentication is configured."
                    + " Set spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri, or public-key-location)"
                    + " for bearer tokens, and/or quota-ledger.security.users with bcrypt password hashes.");
        }
    }
}
