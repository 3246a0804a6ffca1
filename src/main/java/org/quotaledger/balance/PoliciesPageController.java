package org.quotaledger.balance;

import java.util.List;

import org.axonframework.queryhandling.QueryGateway;
import org.quotaledger.balance.BalanceMessages.FindPolicyImpact;
import org.quotaledger.balance.BalanceMessages.PolicyImpact;
import org.quotaledger.policy.PolicyMessages.ListPolicies;
import org.quotaledger.policy.PolicyMessages.PolicyList;
import org.quotaledger.policy.PolicyMessages.PolicySummary;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The policy timeline, newest first, and what each revision did: the countries whose tier, cap or
 * status it changed, before and after, from the policy-impact projection.
 */
@Controller
class PoliciesPageController {

    static final String PATH = "/policies";

    private final QueryGateway queries;

    PoliciesPageController(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * One revision: how many countries it reached so far, how many ledgers it opened, and the
     * countries it changed (openings are counted, not listed).
     */
    record Revision(PolicySummary policy, String enactedAt, int countriesApplied, int countriesTotal, long opened, String consumedBefore,
                    String consumedAfter, List<ImpactLine> changed) {
    }

    @GetMapping(PATH)
    String policies(Model model) {
        List<PolicySummary> policies = queries.query(new ListPolicies(), PolicyList.class).join().policies();
        List<Revision> revisions = policies.stream()
                .sorted((a, b) -> Integer.compare(b.sequence(), a.sequence()))
                .map(this::revision).toList();
        model.addAttribute("revisions", revisions);
        return "policies";
    }

    private Revision revision(PolicySummary policy) {
        PolicyImpact impact = queries.query(new FindPolicyImpact(policy.id()), PolicyImpact.class).join();
        List<ImpactLine> lines = impact.countries().stream().map(ImpactLine::of).toList();
        return new Revision(policy, PageFormat.instant(policy.enactedAt()), impact.countriesApplied(), impact.countriesTotal(),
                lines.stream().filter(ImpactLine::opened).count(), PageFormat.number(impact.consumedBeforeTpp()),
                PageFormat.number(impact.consumedAfterTpp()),
                lines.stream().filter(line -> !line.opened() && line.changed()).toList());
    }
}
