package org.quotaledger.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash that chains each event to the previous one of its stream. PostgreSQL computes it on
 * insert (migration V3, {@code ledger_chain_hash}); this is the same function, so verify can
 * recompute every link. Every field is length-prefixed (-1 for null) so no two events encode alike.
 */
final class EventChain {

    private EventChain() {
    }

    static byte[] hash(byte[] previous, String aggregateIdentifier, long sequenceNumber, String payloadType,
                       String payloadRevision, String timeStamp, byte[] payload, byte[] metaData) {
        MessageDigest digest = sha256();
        field(digest, previous);
        field(digest, text(aggregateIdentifier));
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(sequenceNumber).array());
        field(digest, text(payloadType));
        field(digest, text(payloadRevision));
        field(digest, text(timeStamp));
        field(digest, payload);
        field(digest, metaData);
        return digest.digest();
    }

    private static void field(MessageDigest digest, byte[] value) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            digest.update(value);
        }
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
