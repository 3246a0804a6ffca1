package org.quotaledger.balance;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.quotaledger.balance.HistoryMessages.QuotaAlert;

/** An alert (a quota's status changed) formatted for the pages. */
record AlertLine(String country, String from, String to, String utilization, String remaining, String causedBy,
                 String policyId, String at) {

    static AlertLine of(QuotaAlert alert) {
        return new AlertLine(alert.country(), PageFormat.status(alert.from()), PageFormat.status(alert.to()),
                alert.utilization() == null ? "" : alert.utilization().multiply(BigDecimal.valueOf(100))
                        .setScale(1, RoundingMode.HALF_UP) + " %",
                PageFormat.number(alert.remainingTpp()), alert.causedBy(), alert.policyId(),
                PageFormat.instant(alert.changedAt()));
    }
}
