package org.quotaledger.balance;

import java.util.List;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.BalanceFound;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.balance.BalanceMessages.FindBalance;
import org.quotaledger.balance.BalanceMessages.FindPolicyImpact;
import org.quotaledger.balance.BalanceMessages.PolicyImpact;
import org.quotaledger.operations.ProjectionRebuilds;
import org.quotaledger.policy.rules.IsoCountries;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Live balances, served from the projection: reads never replay. */
@RestController
class BalanceController {

    private final QueryGateway queries;
    private final ProjectionRebuilds rebuilds;

    BalanceController(QueryGateway queries, ProjectionRebuilds rebuilds) {
        this.queries = queries;
        this.rebuilds = rebuilds;
    }

    /** While the projection is rebuilt, balances say so: in a header, and in the list's body. */
    static final String REBUILDING_HEADER = "X-Projection-Rebuilding";

    record Balances(List<CountryBalance> balances, boolean rebuilding) {
    }

    @GetMapping("/api/v1/balances")
    ResponseEntity<Balances> all() {
        boolean rebuilding = rebuilds.isRebuilding("balances");
        BalanceList list = queries.query(new FindAllBalances(), BalanceList.class).join();
        return ResponseEntity.ok().header(REBUILDING_HEADER, Boolean.toString(rebuilding))
                .body(new Balances(list.balances(), rebuilding));
    }

    @GetMapping("/api/v1/balances/{country}")
    ResponseEntity<CountryBalance> one(@PathVariable String country) {
        if (!IsoCountries.isKnown(country)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "unknown country code '" + country + "': use ISO 3166-1 alpha-2");
        }
        CountryBalance balance = queries.query(new FindBalance(country), BalanceFound.class).join().balance();
        if (balance == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no balance for " + country + " yet");
        }
        return ResponseEntity.ok().header(REBUILDING_HEADER, Boolean.toString(rebuilds.isRebuilding("balances")))
                .body(balance);
    }

    /** Each country's balance before and after a policy, as far as its fan-out has reached. */
    @GetMapping("/api/v1/policies/{policyId}/impact")
    PolicyImpact impact(@PathVariable String policyId) {
        PolicyImpact impact = queries.query(new FindPolicyImpact(policyId), PolicyImpact.class).join();
        if (impact.countriesApplied() == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "policy " + policyId + " has not been applied to any country");
        }
        return impact;
    }
}
