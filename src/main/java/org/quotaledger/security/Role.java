package org.quotaledger.security;

/** Who may do what (see {@link EndpointRules}). */
public enum Role {
    /** Records, voids and reads only its own shipments; bound to one exporter id. */
    EXPORTER,
    /** Reads everything and runs replays; writes nothing. */
    AUDITOR,
    /** Reads balances and enacts policies. */
    REGULATOR,
    /** Operations, such as projection rebuilds and metrics. */
    ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
