package org.quotaledger.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 *
 * <p>Requests that present the same password for the same hash while its bcrypt round runs wait
 * for that round's answer instead of starting their own. An exporter's system that opens with
 * many calls at once, after a restart, would otherwise pay one round per call (the benchmark's 16
 * clients: 16 rounds at the production cost at once, on 2 cores, seen in its profiles). A wrong
 * password still pays a round for every attempt that does not overlap one already running for the
 * same guess, so guessing gets no cheaper.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder slow;
    private final SecretKeySpec key;
    private final Map<String, byte[]> provenDigestByHash = new ConcurrentHashMap<>();
    /** bcrypt rounds running now, by stored hash and presented password's digest. */
    private final Map<Presented, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
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
        Presented presented = new Presented(encodedPassword, HexFormat.of().formatHex(digest));
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> earlier = running.putIfAbsent(presented, mine);
        if (earlier != null) {
            return answerOf(earlier);
        }
        try {
            boolean matches = slow.matches(rawPassword, encodedPassword);
            if (matches) {
                provenDigestByHash.put(encodedPassword, digest);
            }
            mine.complete(matches);
            return matches;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(presented, mine);
        }
    }

    /** The running round's answer, or what it threw, as it threw it. */
    private static boolean answerOf(CompletableFuture<Boolean> round) {
        try {
            return round.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** A password presented for a stored hash, by its keyed digest (never the password itself). */
    private record Presented(String encodedPassword, String digest) {
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
