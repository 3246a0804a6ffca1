package org.quotaledger.balance;

import java.time.Instant;

import org.quotaledger.balance.HistoryMessages.Cause;
import org.quotaledger.policy.rules.Balance;

/**
 * One event's effect on its country's balance, as the balances projections write it: the balance
 * the event carries, what caused it, and the event's place in the country's stream. The handlers
 * make it from an event; a rebuild makes it from the stored payload ({@link StoredBalanceChanges}).
 */
record BalanceChange(String country, long sequence, Kind kind, String causeId, Balance balance, Instant at) {

    enum Kind {
        RECORDED(Cause.RECORDED), DENIED(null), VOIDED(Cause.VOIDED), POLICY(Cause.POLICY), RESERVATION(null);

        /** The history point it makes, or none: a denial or a reservation is not a point of the chart. */
        final Cause historyCause;

        Kind(Cause historyCause) {
            this.historyCause = historyCause;
        }
    }

    int recorded() {
        return kind == Kind.RECORDED ? 1 : 0;
    }

    int denied() {
        return kind == Kind.DENIED ? 1 : 0;
    }

    int voided() {
        return kind == Kind.VOIDED ? 1 : 0;
    }
}
