package org.quotaledger.policy.rules;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** ISO 3166-1 alpha-2 codes: the only country codes the ledger knows. An unknown code is bad input. */
public final class IsoCountries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());

    private IsoCountries() {
    }

    public static boolean isKnown(String code) {
        return code != null && CODES.contains(code);
    }

    /** Every code, sorted. */
    public static Set<String> all() {
        return new TreeSet<>(CODES);
    }
}
