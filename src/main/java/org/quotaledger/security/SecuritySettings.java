package org.quotaledger.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code quota-ledger.security}: configured users (bcrypt hashes only), how JWT claims map to
 * roles and an exporter, and the per-principal rate limit.
 */
@ConfigurationProperties("quota-ledger.security")
public record SecuritySettings(List<ConfiguredUser> users, Jwt jwt, RateLimit rateLimit) {

    public SecuritySettings {
        users = users == null ? List.of() : List.copyOf(users);
        jwt = jwt == null ? new Jwt(null, null) : jwt;
        rateLimit = rateLimit == null ? new RateLimit(0, 0) : rateLimit;
    }

    /** @param passwordHash a bcrypt hash, e.g. {@code $2a$10$...}; never a password */
    public record ConfiguredUser(String username, String passwordHash, List<Role> roles, String exporterId) {
    }

    public record Jwt(String rolesClaim, String exporterClaim) {
        public Jwt {
            rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
            exporterClaim = exporterClaim == null || exporterClaim.isBlank() ? "exporter_id" : exporterClaim;
        }
    }

    /** A token bucket per principal: {@code capacity} requests at once, refilled at {@code perSecond}. */
    public record RateLimit(long capacity, long perSecond) {
        public RateLimit {
            capacity = capacity <= 0 ? 200 : capacity;
            perSecond = perSecond <= 0 ? 100 : perSecond;
        }
    }
}
