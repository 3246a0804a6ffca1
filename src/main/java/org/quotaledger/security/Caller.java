package org.quotaledger.security;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authenticated caller of the current request: name, roles, and the exporter it acts for. */
public record Caller(String name, Set<Role> roles, String exporterId) {

    public boolean is(Role role) {
        return roles.contains(role);
    }

    /** An exporter may touch only its own shipments; every other role sees all of them. */
    public boolean mayAccessExporter(String exporter) {
        return !is(Role.EXPORTER) || (exporterId != null && exporterId.equals(exporter));
    }

    /** The caller of the current request, or null outside one. */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())) {
                    roles.add(role);
                }
            }
        }
        String exporterId = null;
        if (authentication.getPrincipal() instanceof LedgerUser user) {
            exporterId = user.exporterId();
        } else if (authentication instanceof JwtClaims.ExporterJwtAuthentication jwt) {
            exporterId = jwt.exporterId();
        }
        return new Caller(authentication.getName(), Set.copyOf(roles), exporterId);
    }
}
