package org.quotaledger.balance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.balance.HistoryMessages.AlertList;
import org.quotaledger.balance.HistoryMessages.FindAlerts;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The regulators' dashboard: every country's balance in one table, rendered on the server and
 * kept live by the browser from the balance stream ({@code /static/dashboard/dashboard.js}).
 */
@Controller
class DashboardController {

    /** Also written in dashboard.html (hx-get). */
    static final String ALERTS_PATH = "/dashboard/alerts";
    static final int LATEST_ALERTS = 20;

    private final QueryGateway queries;
    private final String htmxVersion;

    DashboardController(QueryGateway queries, @Value("${quota-ledger.dashboard.htmx-version:2.0.4}") String htmxVersion) {
        this.queries = queries;
        this.htmxVersion = htmxVersion;
    }

    /** One table row, formatted for reading; the raw numbers ride along for sorting. */
    record Row(String country, String tier, String policyId, String status, String cap, String consumed,
               String remaining, String capH100e, String consumedH100e, String remainingH100e, String percent,
               double utilization) {

        static Row of(CountryBalance balance) {
            double utilization = balance.utilization() == null ? 0 : balance.utilization().doubleValue();
            return new Row(balance.country(), balance.tier(), balance.policyId(),
                    PageFormat.status(balance.status()), number(balance.capTpp()), number(balance.consumedTpp()),
                    number(balance.remainingTpp()), number(balance.capH100e()), number(balance.consumedH100e()),
                    number(balance.remainingH100e()),
                    balance.utilization() == null ? "" : balance.utilization().multiply(BigDecimal.valueOf(100))
                            .setScale(1, RoundingMode.HALF_UP) + " %",
                    Math.min(1, Math.max(0, utilization)));
        }

        private static String number(Number value) {
            return PageFormat.number(value);
        }
    }

    @GetMapping("/")
    String dashboard(Model model) {
        List<Row> rows = queries.query(new FindAllBalances(), BalanceList.class).join()
                .balances().stream().map(Row::of).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("tiers", rows.stream().map(Row::tier).distinct().sorted().toList());
        model.addAttribute("stream", BalanceStreamController.BROWSER_PATH);
        model.addAttribute("htmx", "/webjars/htmx.org/" + htmxVersion + "/dist/htmx.min.js");
        model.addAttribute("alerts", latestAlerts());
        return "dashboard";
    }

    /**
     * The alerts panel alone, for htmx to swap in: the page asks again whenever the stream shows a
     * country's status changing (see dashboard.js), and every minute in any case.
     */
    @GetMapping(ALERTS_PATH)
    String alerts(Model model) {
        model.addAttribute("alerts", latestAlerts());
        return "dashboard :: alerts";
    }

    private List<AlertLine> latestAlerts() {
        return queries.query(new FindAlerts(null, LATEST_ALERTS), AlertList.class).join()
                .alerts().stream().map(AlertLine::of).toList();
    }
}
