package org.quotaledger.balance;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.BalanceFound;
import org.quotaledger.balance.BalanceMessages.BalanceList;
import org.quotaledger.balance.BalanceMessages.CountryBalance;
import org.quotaledger.balance.BalanceMessages.FindAllBalances;
import org.quotaledger.balance.BalanceMessages.FindBalance;
import org.quotaledger.balance.BalanceMessages.FindPolicyImpact;
import org.quotaledger.balance.BalanceMessages.PolicyImpact;
import org.quotaledger.policy.rules.IsoCountries;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Live balances, served from the projection: reads never replay. */
@RestController
class BalanceController {

    private final QueryGateway queries;

    BalanceController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/v1/balances")
    BalanceList all() {
        return queries.query(new FindAllBalances(), BalanceList.class).join();
    }

    @GetMapping("/api/v1/balances/{country}")
    CountryBalance one(@PathVariable String country) {
        if (!IsoCountries.isKnown(country)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "unknown country code '" + country + "': use ISO 3166-1 alpha-2");
        }
        CountryBalance balance = queries.query(new FindBalance(country), BalanceFound.class).join().balance();
        if (balance == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no balance for " + country + " yet");
        }
        return balance;
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
