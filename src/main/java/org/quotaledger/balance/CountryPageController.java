package org.quotaledger.balance;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.BalanceFound;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindBalance;
import org.quotaledger.balance.HistoryMessages.AlertList;
import org.quotaledger.balance.HistoryMessages.BalanceHistory;
import org.quotaledger.balance.HistoryMessages.FindAlerts;
import org.quotaledger.balance.HistoryMessages.FindBalanceHistory;
import org.quotaledger.balance.HistoryMessages.FindImpactsOnCountry;
import org.quotaledger.balance.HistoryMessages.ImpactOnCountry;
import org.quotaledger.balance.HistoryMessages.ImpactsOnCountry;
import org.quotaledger.policy.PolicyMessages.ListPolicies;
import org.quotaledger.policy.PolicyMessages.PolicyList;
import org.quotaledger.policy.PolicyMessages.PolicySummary;
import org.quotaledger.policy.rules.IsoCountries;
import org.quotaledger.quota.RegisteredShipment;
import org.quotaledger.quota.ShipmentRegistry;
import org.quotaledger.security.Caller;
import org.quotaledger.security.Role;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * One country's page: its balance over time (the history projection, drawn as SVG), its latest
 * shipments and denials (the shipment registry), its alerts, and each policy's impact on it. Every
 * part is a query of a table kept by a projection or the registry: nothing is replayed here.
 */
@Controller
class CountryPageController {

    static final String PATH = "/countries/{country}";
    static final int CHART_POINTS = 400;
    static final int LATEST_SHIPMENTS = 25;
    static final int LATEST_ALERTS = 10;

    private final QueryGateway queries;
    private final ShipmentRegistry shipments;
    private final Clock clock;

    CountryPageController(QueryGateway queries, ShipmentRegistry shipments, Clock clock) {
        this.queries = queries;
        this.shipments = shipments;
        this.clock = clock;
    }

    /** A shipment or denial as the page lists it. */
    record ShipmentLine(String shipmentId, String state, String exporterId, String shipDate, String tpp,
                        String debitedTpp, String policyId, String note, String decidedAt) {

        static ShipmentLine of(RegisteredShipment shipment) {
            String note = switch (shipment.state()) {
                case DENIED -> shipment.firstAnswer().reason() + ": " + shipment.firstAnswer().detail();
                case VOIDED -> "voided: " + shipment.voidReason();
                case RECORDED -> shipment.beyondCap() ? "beyond the cap under a later policy" : "";
            };
            return new ShipmentLine(shipment.shipmentId(), shipment.state().name().toLowerCase(), shipment.exporterId(),
                    shipment.shipDate().toString(), PageFormat.number(shipment.tpp()),
                    PageFormat.number(shipment.debitedTpp()), shipment.policyId(), note,
                    PageFormat.instant(shipment.decidedAt()));
        }
    }

    /** A policy of the timeline and its impact on this country (null until its fan-out reaches it). */
    record TimelineLine(PolicySummary policy, ImpactLine impact) {
    }

    @GetMapping(PATH)
    String country(@PathVariable String country, Model model) {
        if (!IsoCountries.isKnown(country)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown country code '" + country + "'");
        }
        CountryBalance balance = queries.query(new FindBalance(country), BalanceFound.class).join().balance();
        BalanceHistory history = queries.query(new FindBalanceHistory(country, CHART_POINTS), BalanceHistory.class).join();
        Map<String, ImpactLine> impacts = queries.query(new FindImpactsOnCountry(country), ImpactsOnCountry.class).join()
                .impacts().stream()
                .collect(Collectors.toMap(ImpactOnCountry::policyId, impact -> ImpactLine.of(impact.impact()),
                        (first, second) -> first));
        List<TimelineLine> timeline = queries.query(new ListPolicies(), PolicyList.class).join().policies().stream()
                .map(policy -> new TimelineLine(policy, impacts.get(policy.id()))).toList();
        // an exporter sees its own shipments only; every other role sees all of them
        Caller caller = Caller.current();
        String exporter = caller.is(Role.EXPORTER) ? caller.exporterId() : null;
        List<ShipmentLine> latest = caller.is(Role.EXPORTER) && exporter == null ? List.of()
                : shipments.latestByCountry(country, exporter, LATEST_SHIPMENTS).stream().map(ShipmentLine::of).toList();

        model.addAttribute("country", country);
        model.addAttribute("balance", balance == null ? null : DashboardController.Row.of(balance));
        model.addAttribute("chart", BalanceChart.of(country, history.points(), clock.instant()));
        model.addAttribute("historyPoints", history.totalPoints());
        model.addAttribute("thinned", history.totalPoints() > history.points().size());
        model.addAttribute("shipments", latest);
        model.addAttribute("ownShipmentsOnly", caller.is(Role.EXPORTER));
        model.addAttribute("timeline", timeline);
        model.addAttribute("alerts", queries.query(new FindAlerts(country, LATEST_ALERTS), AlertList.class).join()
                .alerts().stream().map(AlertLine::of).toList());
        return "country";
    }
}
