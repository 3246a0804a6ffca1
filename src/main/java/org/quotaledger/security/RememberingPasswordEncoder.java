package org.quotaledger.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt for every request made the API spend most of its CPU checking passwords: an exporter's
 * system signs every call with HTTP Basic. This remembers, per stored hash, a keyed digest
 * (HMAC-SHA256 under a key made at start and never stored) of the one password last proven
 * right against it, so presenting that password again costs a digest, not a bcrypt round.
 *
 * <p>Only a correct password is remembered: a wrong one pays bcrypt every time, so guessing gets
 * no cheaper. Entries are keyed by the stored hashes, which come from configuration, so there
 * are at most as many as configured users. Changing a user's hash (a restart) forgets the old one.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder slow;
    private final SecretKeySpec key;
    private final Map<String, byte[]> provenDigestByHash = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    RememberingPasswordEncoder(PasswordEncoder slow) {
        this.slow = slow;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return slow.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return slow.matches(rawPassword, encodedPassword);
        }
        byte[] digest = digest(rawPassword);
        byte[] proven = provenDigestByHash.get(encodedPassword);
        if (proven != null && MessageDigest.isEqual(proven, digest)) {
            return true;
        }
        boolean matches = slow.matches(rawPassword, encodedPassword);
        if (matches) {
            provenDigestByHash.put(encodedPassword, digest);
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return slow.upgradeEncoding(encodedPassword);
    }

    private byte[] digest(CharSequence rawPassword) {
        return macs.get().doFinal(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A Mac is not thread-safe and costly to look up: one per thread, made once, on every request's path. */
    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
