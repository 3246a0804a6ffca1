package org.quotaledger.security;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A configured user, who may act for one exporter. */
class LedgerUser extends User {

    private final String exporterId;

    LedgerUser(String username, String passwordHash, Collection<? extends GrantedAuthority> authorities, String exporterId) {
        super(username, passwordHash, authorities);
        this.exporterId = exporterId;
    }

    String exporterId() {
        return exporterId;
    }
}
