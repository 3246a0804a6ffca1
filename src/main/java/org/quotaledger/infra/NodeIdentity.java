package org.quotaledger.infra;

import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * This service instance among several: the owner its processors claim segments as, and the node
 * a projection rebuild is recorded for. Axon's default owner (pid@host) is shared by two
 * instances in one JVM, as in the multi-node tests, which would then both process one segment;
 * a random suffix sets every instance apart, and a restarted one is a new node.
 */
public record NodeIdentity(String id) {

    public static NodeIdentity generate() {
        return new NodeIdentity(ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
    }
}
