package org.quotaledger.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Maps a token's claims to the ledger's roles and exporter; unknown role names grant nothing. */
final class JwtClaims implements Converter<Jwt, AbstractAuthenticationToken> {

    /** A JWT authentication that also knows which exporter the caller acts for. */
    static final class ExporterJwtAuthentication extends JwtAuthenticationToken {
        private final String exporterId;

        ExporterJwtAuthentication(Jwt jwt, Collection<GrantedAuthority> authorities, String exporterId) {
            super(jwt, authorities, jwt.getSubject());
            this.exporterId = exporterId;
        }

        String exporterId() {
            return exporterId;
        }
    }

    private final SecuritySettings.Jwt settings;

    JwtClaims(SecuritySettings.Jwt settings) {
        this.settings = settings;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Collection<GrantedAuthority> authorities = new ArrayList<>();
        List<String> names = jwt.getClaimAsStringList(settings.rolesClaim());
        if (names != null) {
            for (String name : names) {
                for (Role role : Role.values()) {
                    if (role.name().equalsIgnoreCase(name)) {
                        authorities.add(new SimpleGrantedAuthority(role.authority()));
                    }
                }
            }
        }
        return new ExporterJwtAuthentication(jwt, authorities, jwt.getClaimAsString(settings.exporterClaim()));
    }
}
